package dev.sluice.injector.inject;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The Envoy v3 bootstrap of an injected sidecar, as JSON for {@code --config-yaml}: node identity and
 * metadata ({@code sluice.role: sidecar}), ADS to Sluice's TLS xDS port, and a static health listener
 * on 15021 ({@link HealthListener}) whose {@code /healthz/ready} is Envoy's own {@code /ready} and
 * which forwards the app's rewritten kubelet probes ({@link HealthRoute}).
 *
 * <p>The xDS stream uses {@code google_grpc}, not {@code envoy_grpc}: its file-based call credential
 * re-reads the projected service-account token (audience {@code sluice}) on every call, and the
 * kubelet rotates that file; {@code envoy_grpc}'s {@code initial_metadata} would be fixed at start.
 * The node id is {@code $(POD_NAME)}, which Kubernetes expands in the container's args.
 *
 * <p>For rollouts, Envoy reports the load of its clusters over the same kind of stream
 * ({@code cluster_manager.load_stats_config}), and a static cluster {@link #XDS_CLUSTER} to the same
 * port carries the access logs of routes under a rollout.
 *
 * @param namespace the pod's namespace
 * @param serviceAccount the pod's service account ({@code default} when the pod names none)
 * @param inboundPorts ports captured inbound, sorted, as node metadata {@code sluice.inbound_ports}
 *     (comma-separated): the ports the control plane gives the sidecar's inbound listener. Empty in
 *     capture mode {@code explicit}, where nothing redirects inbound traffic to the sidecar, so it
 *     must not claim the app's ports
 * @param healthRoutes the app probes the health listener forwards, one route each
 * @param xdsHost the xDS server's host
 * @param xdsPort its TLS port
 * @param xdsServerName the name to verify in its certificate, when not {@code xdsHost}
 * @param trustBundlePem Sluice's root certificates, PEM
 */
public record SidecarBootstrap(String namespace, String serviceAccount, List<Integer> inboundPorts,
    List<HealthRoute> healthRoutes, String xdsHost, int xdsPort, Optional<String> xdsServerName, String trustBundlePem) {
  public static final String POD_NAME_REF = "$(POD_NAME)";
  public static final int ADMIN_PORT = 15000;
  public static final int HEALTH_PORT = 15021;
  public static final String TOKEN_FILE = "/var/run/secrets/sluice/token";
  private static final String FILE_METADATA = "envoy.grpc_credentials.file_based_metadata";
  /**
   * The static cluster to the control plane's TLS port, by the name the access logs of routes under
   * a rollout stream to (translators' {@code EnvoyBootstrap.XDS_CLUSTER}; the conformance tests
   * check that the two agree).
   */
  public static final String XDS_CLUSTER = "sluice-xds";

  public SidecarBootstrap {
    inboundPorts = List.copyOf(inboundPorts);
    healthRoutes = List.copyOf(healthRoutes);
  }

  /**
   * One kubelet probe the health listener forwards to the app: a GET of {@code path} on port 15021
   * becomes a GET of {@code appPath} on {@code 127.0.0.1:appPort}, in plain text.
   *
   * @param path the exact path on the health port, {@code /app-health/<container>/<kind>}
   * @param appPort the app's port
   * @param appPath the path the app is asked, with its query, replacing {@code path} whole
   * @param host the Host header the app is sent, when the probe named one
   */
  public record HealthRoute(String path, int appPort, String appPath, Optional<String> host) {}

  /** Compact JSON, keys in a fixed order. */
  public String json() {
    ObjectNode root = Json.object();
    root.set("node", node());
    root.set("admin", Json.object().set("address", socket("127.0.0.1", ADMIN_PORT)));
    root.set("dynamic_resources", dynamicResources());
    root.set("cluster_manager", clusterManager());
    ObjectNode statics = HealthListener.staticResources(healthRoutes);
    ((com.fasterxml.jackson.databind.node.ArrayNode) statics.get("clusters")).add(xdsCluster());
    root.set("static_resources", statics);
    return Json.write(root);
  }

  /** Load reports of every cluster, for rollouts: to the same port with the same credential as ADS. */
  private ObjectNode clusterManager() {
    ObjectNode lrs = Json.object().put("api_type", "GRPC").put("transport_api_version", "V3");
    lrs.putArray("grpc_services").addObject().set("google_grpc", googleGrpc());
    ObjectNode manager = Json.object();
    manager.set("load_stats_config", lrs);
    return manager;
  }

  /**
   * {@link #XDS_CLUSTER}: the control plane's TLS port for Envoy's own gRPC client, which the access
   * log of routes under a rollout uses. It verifies the control plane's certificate as the xDS
   * stream does (Sluice's roots, the server name) and carries no credential: the control plane
   * takes those logs from a node whose authenticated xDS stream comes from the same address.
   */
  private ObjectNode xdsCluster() {
    String serverName = xdsServerName.orElse(xdsHost);
    boolean ip = serverName.matches("[0-9.]+") || serverName.contains(":");
    ObjectNode validation = Json.object();
    validation.putObject("trusted_ca").put("inline_string", trustBundlePem);
    validation.putArray("match_typed_subject_alt_names").addObject().put("san_type", ip ? "IP_ADDRESS" : "DNS")
        .putObject("matcher").put("exact", serverName);
    ObjectNode tls = Json.object()
        .put("@type", "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext");
    if (!ip) {
      tls.put("sni", serverName);
    }
    ObjectNode common = tls.putObject("common_tls_context");
    common.putArray("alpn_protocols").add("h2");
    common.set("validation_context", validation);
    ObjectNode cluster = Json.object().put("name", XDS_CLUSTER).put("type", "STRICT_DNS").put("connect_timeout", "5s");
    cluster.putObject("typed_extension_protocol_options").putObject("envoy.extensions.upstreams.http.v3.HttpProtocolOptions")
        .put("@type", "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions")
        .putObject("explicit_http_config").putObject("http2_protocol_options");
    cluster.putObject("transport_socket").put("name", "envoy.transport_sockets.tls").set("typed_config", tls);
    ObjectNode endpoint = Json.object();
    endpoint.putObject("endpoint").set("address", socket(xdsHost, xdsPort));
    ObjectNode assignment = cluster.putObject("load_assignment").put("cluster_name", XDS_CLUSTER);
    assignment.putArray("endpoints").addObject().putArray("lb_endpoints").add(endpoint);
    return cluster;
  }

  private ObjectNode node() {
    ObjectNode node = Json.object().put("id", POD_NAME_REF).put("cluster", namespace + "/" + serviceAccount);
    node.putObject("metadata")
        .put("sluice.role", "sidecar")
        .put("sluice.namespace", namespace)
        .put("sluice.service_account", serviceAccount)
        .put("sluice.inbound_ports", inboundPorts.stream().map(String::valueOf).collect(Collectors.joining(",")));
    return node;
  }

  /** The control plane's TLS port through gRPC's own client, with the rotating token as call credential. */
  private ObjectNode googleGrpc() {
    ObjectNode google = Json.object().put("target_uri", xdsHost + ":" + xdsPort).put("stat_prefix", "sluice_xds");
    google.putObject("channel_credentials").putObject("ssl_credentials").putObject("root_certs")
        .put("inline_string", trustBundlePem);
    google.put("credentials_factory_name", FILE_METADATA);
    ObjectNode plugin = google.putArray("call_credentials").addObject().putObject("from_plugin")
        .put("name", FILE_METADATA);
    ObjectNode typed = plugin.putObject("typed_config")
        .put("@type", "type.googleapis.com/envoy.config.grpc_credential.v3.FileBasedMetadataConfig");
    typed.putObject("secret_data").put("filename", TOKEN_FILE);
    typed.put("header_prefix", "Bearer ");
    xdsServerName.ifPresent(name -> google.putObject("channel_args").putObject("args")
        .putObject("grpc.ssl_target_name_override").put("string_value", name));
    return google;
  }

  private ObjectNode dynamicResources() {
    ObjectNode google = googleGrpc();
    ObjectNode dynamic = Json.object();
    ObjectNode ads = dynamic.putObject("ads_config").put("api_type", "GRPC").put("transport_api_version", "V3")
        .put("set_node_on_first_message_only", true);
    ads.putArray("grpc_services").addObject().set("google_grpc", google);
    dynamic.set("cds_config", adsSource());
    dynamic.set("lds_config", adsSource());
    return dynamic;
  }

  private static ObjectNode adsSource() {
    ObjectNode source = Json.object();
    source.putObject("ads");
    return source.put("resource_api_version", "V3");
  }

  static ObjectNode socket(String address, int port) {
    ObjectNode socket = Json.object();
    socket.putObject("socket_address").put("address", address).put("port_value", port);
    return socket;
  }

  @Override
  public String toString() {
    // Never the PEM: this record may be logged.
    return "SidecarBootstrap[" + namespace + "/" + serviceAccount + " -> " + xdsHost + ":" + xdsPort + "]";
  }
}
