package dev.sluice.injector.inject;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.injector.inject.SidecarBootstrap.HealthRoute;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * The bootstrap's static resources: the {@code sluice-health} listener on 0.0.0.0:15021 and its
 * clusters. Static, so the kubelet's probes are answered whatever xDS says or whether it answers at
 * all (Envoy opens it once its initial xDS fetch is done or has timed out).
 *
 * <ul>
 *   <li>{@code /healthz/ready}: Envoy's own admin {@code /ready}, through cluster {@code sluice-admin}
 *       (127.0.0.1:15000); the sidecar's readiness and startup probes;
 *   <li>one exact-path route per rewritten app probe ({@link HealthRoute}), in path order: to cluster
 *       {@code sluice-app-<port>} (127.0.0.1:port, one per port, in port order), its path replaced whole
 *       by the app's ({@code prefix_rewrite} on an exact match), its Host by the probe's
 *       {@code host_rewrite_literal} when it named one.
 * </ul>
 * Any other path gets Envoy's 404.
 */
final class HealthListener {
  static final String NAME = "sluice-health";
  static final String ADMIN_CLUSTER = "sluice-admin";
  static final String READY_PATH = "/healthz/ready";

  private HealthListener() {}

  /** The cluster of an app port. */
  static String appCluster(int port) {
    return "sluice-app-" + port;
  }

  static ObjectNode staticResources(List<HealthRoute> routes) {
    ObjectNode statics = Json.object();
    statics.putArray("listeners").add(listener(routes));
    ArrayNode clusters = statics.putArray("clusters");
    clusters.add(cluster(ADMIN_CLUSTER, SidecarBootstrap.ADMIN_PORT));
    TreeSet<Integer> ports = new TreeSet<>();
    routes.forEach(r -> ports.add(r.appPort()));
    ports.forEach(port -> clusters.add(cluster(appCluster(port), port)));
    return statics;
  }

  private static ObjectNode listener(List<HealthRoute> routes) {
    ObjectNode vhost = Json.object().put("name", NAME);
    vhost.putArray("domains").add("*");
    ArrayNode list = vhost.putArray("routes");
    list.add(route(READY_PATH, ADMIN_CLUSTER, "/ready"));
    routes.stream().sorted(Comparator.comparing(HealthRoute::path)).forEach(r -> {
      ObjectNode route = route(r.path(), appCluster(r.appPort()), r.appPath());
      r.host().ifPresent(host -> ((ObjectNode) route.get("route")).put("host_rewrite_literal", host));
      list.add(route);
    });
    ObjectNode hcm = Json.object()
        .put("@type", "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager")
        .put("stat_prefix", "sluice_health");
    hcm.putObject("route_config").put("name", NAME).putArray("virtual_hosts").add(vhost);
    hcm.putArray("http_filters").addObject().put("name", "envoy.filters.http.router").putObject("typed_config")
        .put("@type", "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router");
    ObjectNode listener = Json.object().put("name", NAME);
    listener.set("address", SidecarBootstrap.socket("0.0.0.0", SidecarBootstrap.HEALTH_PORT));
    listener.putArray("filter_chains").addObject().putArray("filters").addObject()
        .put("name", "envoy.filters.network.http_connection_manager").set("typed_config", hcm);
    return listener;
  }

  private static ObjectNode route(String path, String cluster, String rewrite) {
    ObjectNode route = Json.object();
    route.putObject("match").put("path", path);
    route.putObject("route").put("cluster", cluster).put("prefix_rewrite", rewrite);
    return route;
  }

  private static ObjectNode cluster(String name, int port) {
    ObjectNode cluster = Json.object().put("name", name).put("type", "STATIC").put("connect_timeout", "1s");
    ObjectNode endpoint = Json.object();
    endpoint.putObject("endpoint").set("address", SidecarBootstrap.socket("127.0.0.1", port));
    ObjectNode assignment = cluster.putObject("load_assignment").put("cluster_name", name);
    assignment.putArray("endpoints").addObject().putArray("lb_endpoints").add(endpoint);
    return cluster;
  }
}
