package dev.sluice.translate;

import dev.sluice.model.ModelRoute;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a sidecar group shares beyond its routes' clusters: the outbound listener and its route
 * configurations ({@link SidecarOutbound}), the passthrough cluster, and the inbound listener and
 * the app's clusters ({@link SidecarInbound}).
 */
final class SidecarTranslator {
  private SidecarTranslator() {}

  /**
   * @param routes the routes that passed translation, in key order
   * @param virtualHosts their virtual hosts, in the same order
   */
  static void add(SidecarScope scope, List<ModelRoute> routes, List<VirtualHost> virtualHosts, TracingSettings tracing,
      String trustDomain, List<Listener> listeners, List<RouteConfiguration> routeConfigs, List<Cluster> clusters) {
    SortedMap<Integer, List<VirtualHost>> byPort = new TreeMap<>();
    for (int i = 0; i < routes.size(); i++) {
      byPort.computeIfAbsent(routes.get(i).spec().port(), p -> new ArrayList<>()).add(virtualHosts.get(i));
    }
    // Outbound only: there the upstream cluster is a version; inbound it is the app's own port.
    listeners.add(SidecarOutbound.listener(List.copyOf(byPort.keySet()), tracing, Measurements.anyWanted(routes)));
    routeConfigs.addAll(SidecarOutbound.routes(byPort));
    clusters.add(SidecarOutbound.passthroughCluster());
    SidecarInbound.listener(scope, InboundTls.mode(scope, routes), trustDomain, tracing).ifPresent(listeners::add);
    clusters.addAll(SidecarInbound.clusters(scope));
  }
}
