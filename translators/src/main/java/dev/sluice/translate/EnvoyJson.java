package dev.sluice.translate;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.TypeRegistry;
import com.google.protobuf.util.JsonFormat;
import dev.sluice.translate.check.PackedTypes;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.trace.v3.OpenTelemetryConfig;
import io.envoyproxy.envoy.config.trace.v3.ZipkinConfig;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.access_loggers.grpc.v3.HttpGrpcAccessLogConfig;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.request_id.uuid.v3.UuidRequestIdConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Proto3 JSON for the resources Sluice generates, with every packed type resolvable. Fields newer
 * than our protos ({@link NewerEnvoyFields}) are written too, so what people read is what proxies get.
 */
public final class EnvoyJson {
  /**
   * Every message type Sluice packs into an {@code Any}, by its generated class, so the rule check
   * parses payloads into those classes.
   */
  public static final PackedTypes PACKED = PackedTypes.of(List.of(
      HttpConnectionManager.getDefaultInstance(),
      Router.getDefaultInstance(),
      HTTPFault.getDefaultInstance(),
      HttpProtocolOptions.getDefaultInstance(),
      UpstreamTlsContext.getDefaultInstance(),
      DownstreamTlsContext.getDefaultInstance(),
      OriginalDst.getDefaultInstance(),
      TlsInspector.getDefaultInstance(),
      TcpProxy.getDefaultInstance(),
      StdoutAccessLog.getDefaultInstance(),
      HttpGrpcAccessLogConfig.getDefaultInstance(),
      UuidRequestIdConfig.getDefaultInstance(),
      OpenTelemetryConfig.getDefaultInstance(),
      ZipkinConfig.getDefaultInstance()));

  /** The same types as a registry, for JSON. */
  public static final TypeRegistry TYPES = PACKED.registry();

  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().usingTypeRegistry(TYPES);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private EnvoyJson() {}

  public static String print(Message message) {
    String json;
    try {
      json = PRINTER.print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a packed type is missing from EnvoyJson.PACKED", e);
    }
    return message instanceof RouteConfiguration config ? withNewerFields(config, json) : json;
  }

  /** JsonFormat drops unknown fields; put back {@code useHashPolicy} where a split carries it. */
  private static String withNewerFields(RouteConfiguration config, String json) {
    ObjectNode tree = null;
    for (int h = 0; h < config.getVirtualHostsCount(); h++) {
      VirtualHost host = config.getVirtualHosts(h);
      for (int r = 0; r < host.getRoutesCount(); r++) {
        var action = host.getRoutes(r).getRoute();
        if (action.hasWeightedClusters() && NewerEnvoyFields.usesHashPolicy(action.getWeightedClusters())) {
          tree = tree == null ? (ObjectNode) JSON.readTree(json) : tree;
          ((ObjectNode) tree.get("virtualHosts").get(h).get("routes").get(r).get("route").get("weightedClusters"))
              .put("useHashPolicy", true);
        }
      }
    }
    return tree == null ? json : JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
  }
}
