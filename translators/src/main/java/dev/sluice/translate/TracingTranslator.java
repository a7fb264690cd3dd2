package dev.sluice.translate;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import dev.sluice.model.ModelRoute;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.trace.v3.OpenTelemetryConfig;
import io.envoyproxy.envoy.config.trace.v3.ZipkinConfig;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.type.v3.Percent;
import java.util.Optional;

/**
 * Tracing on Envoy roles: the connection manager's tracer and global sampling, the collector's
 * cluster, and the per-route sampling a ModelRoute asks for ({@code spec.tracing}).
 *
 * <p>A route's {@code Route.tracing} replaces the connection manager's three percents for the
 * requests it matches: Sluice sets only {@code random_sampling}, and leaves the client-forced and
 * overall percents at Envoy's default of 100 in both places, so the override changes nothing but
 * the sampling. Requests a caller forces ({@code x-client-trace-id}, {@code x-envoy-force-trace})
 * are traced whatever the percent.
 */
final class TracingTranslator {
  static final String OPENTELEMETRY = "envoy.tracers.opentelemetry";
  static final String ZIPKIN = "envoy.tracers.zipkin";
  static final String ZIPKIN_ENDPOINT = "/api/v2/spans";

  private TracingTranslator() {}

  /** The connection manager's tracing for a role: the tracer and the global sampling percent. */
  static HttpConnectionManager.Tracing connectionManager(TracingSettings settings, ProxyRole role) {
    return HttpConnectionManager.Tracing.newBuilder()
        .setRandomSampling(Percent.newBuilder().setValue(settings.samplingPercent()))
        .setProvider(provider(settings, role))
        // The proxy is a hop of its own in the trace: a server span for the caller's request and
        // a client span per upstream attempt, which names the version's cluster that served it.
        .setSpawnUpstreamSpan(BoolValue.of(true))
        .build();
  }

  /** The route-level override of the sampling percent, when the route asks for one. */
  static Optional<io.envoyproxy.envoy.config.route.v3.Tracing> route(ModelRoute route) {
    dev.sluice.model.Tracing tracing = route.spec().tracing();
    if (tracing == null) {
      return Optional.empty();
    }
    return Optional.of(io.envoyproxy.envoy.config.route.v3.Tracing.newBuilder()
        .setRandomSampling(Percents.perMillion(tracing.samplingPercent()))
        .build());
  }

  /**
   * The collector: resolved by DNS and re-resolved as it changes, HTTP/2 for OTLP over gRPC and
   * HTTP/1.1 for Zipkin's JSON API.
   */
  static Cluster collectorCluster(TracingSettings settings) {
    String name = Names.tracingCollectorCluster();
    Cluster.Builder cluster = Cluster.newBuilder()
        .setName(name)
        .setType(Cluster.DiscoveryType.STRICT_DNS)
        .setLoadAssignment(ClusterLoadAssignment.newBuilder()
            .setClusterName(name)
            .addEndpoints(LocalityLbEndpoints.newBuilder()
                .addLbEndpoints(LbEndpoint.newBuilder()
                    .setEndpoint(Endpoint.newBuilder().setAddress(Address.newBuilder()
                        .setSocketAddress(SocketAddress.newBuilder()
                            .setAddress(settings.collectorHost())
                            .setPortValue(settings.collectorPort())))))));
    if (settings.provider() == TracingSettings.Provider.OPENTELEMETRY) {
      cluster.putTypedExtensionProtocolOptions(ClusterTranslator.HTTP_PROTOCOL_OPTIONS,
          Any.pack(ClusterTranslator.http2Only()));
    }
    return cluster.build();
  }

  private static io.envoyproxy.envoy.config.trace.v3.Tracing.Http provider(TracingSettings settings, ProxyRole role) {
    var http = io.envoyproxy.envoy.config.trace.v3.Tracing.Http.newBuilder();
    switch (settings.provider()) {
      case OPENTELEMETRY -> http.setName(OPENTELEMETRY).setTypedConfig(Any.pack(OpenTelemetryConfig.newBuilder()
          .setGrpcService(GrpcService.newBuilder()
              .setEnvoyGrpc(GrpcService.EnvoyGrpc.newBuilder().setClusterName(Names.tracingCollectorCluster())))
          .setServiceName(serviceName(role))
          .build()));
      case ZIPKIN -> http.setName(ZIPKIN).setTypedConfig(Any.pack(ZipkinConfig.newBuilder()
          .setCollectorCluster(Names.tracingCollectorCluster())
          .setCollectorEndpoint(ZIPKIN_ENDPOINT)
          .setCollectorEndpointVersion(ZipkinConfig.CollectorEndpointVersion.HTTP_JSON)
          // The Host header of span reports; by default Envoy would send the cluster's name.
          .setCollectorHostname(settings.collectorHost())
          // 128-bit trace ids, as W3C trace context and OpenTelemetry use.
          .setTraceId128Bit(true)
          .build()));
    }
    return http.build();
  }

  /** The service spans are reported under: {@code sluice-gateway}. */
  static String serviceName(ProxyRole role) {
    return "sluice-" + role.wireName();
  }
}
