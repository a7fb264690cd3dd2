package dev.sluice.translate;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import dev.sluice.model.ModelRoute;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.SelfConfigSource;
import io.envoyproxy.envoy.extensions.access_loggers.grpc.v3.CommonGrpcAccessLogConfig;
import io.envoyproxy.envoy.extensions.access_loggers.grpc.v3.HttpGrpcAccessLogConfig;
import java.util.List;

/**
 * What proxies send the control plane so that it can judge a rollout's canary: per-request
 * outcomes and latency, and load reports, per version (cluster {@code <ns>|<route>|<version>}).
 * Asked for only where a route the proxy serves has {@code spec.rollout}: an access-log stream per
 * Envoy worker and a log entry per request are not free.
 *
 * <ul>
 *   <li>Envoy roles (gateway, sidecar outbound): an {@code envoy.access_loggers.http_grpc} access
 *       log on the connection managers, beside the standard-output one, streaming to the control
 *       plane through the bootstrap's static cluster {@link EnvoyBootstrap#XDS_CLUSTER}, and logging
 *       the response's {@code grpc-status} from trailers and headers (trailers-only responses).
 *       Envoy accepts the logger even when its bootstrap has no such cluster (the logger checks for
 *       its cluster only when it sends); such a proxy's entries go nowhere, and the control plane
 *       falls back on its load reports. Load reports of Envoy roles are in the bootstrap
 *       ({@code cluster_manager.load_stats_config}, {@link EnvoyBootstrap}), for every cluster.
 *   <li>Proxyless gRPC clients: {@code lrs_server: {self: {}}} on the route's clusters, so the
 *       client reports their load to the xDS server it already talks to. A side effect in
 *       grpc-java: a cluster's {@code circuitBreaker.maxRequests} counts requests in flight only
 *       when the cluster has an LRS server.
 * </ul>
 */
final class Measurements {
  static final String GRPC_ACCESS_LOG = "envoy.access_loggers.http_grpc";
  /** The access log's name, in the first message of each stream. */
  static final String LOG_NAME = "sluice";
  static final String GRPC_STATUS = "grpc-status";
  /** Envoy sends its batch when it reaches this size, or after the flush interval (Envoy's defaults, written out). */
  static final int BUFFER_BYTES = 16_384;
  static final long FLUSH_SECONDS = 1;

  private Measurements() {}

  /** Whether a route asks its proxies for measurements: it has a rollout. */
  static boolean wanted(ModelRoute route) {
    return route.spec().rollout() != null;
  }

  /** Whether any of the routes a proxy serves does. */
  static boolean anyWanted(List<ModelRoute> routes) {
    return routes.stream().anyMatch(Measurements::wanted);
  }

  /** The access log that streams each request's outcome to the control plane. */
  static AccessLog accessLog() {
    HttpGrpcAccessLogConfig config = HttpGrpcAccessLogConfig.newBuilder()
        .setCommonConfig(CommonGrpcAccessLogConfig.newBuilder()
            .setLogName(LOG_NAME)
            .setTransportApiVersion(ApiVersion.V3)
            .setGrpcService(GrpcService.newBuilder()
                .setEnvoyGrpc(GrpcService.EnvoyGrpc.newBuilder().setClusterName(EnvoyBootstrap.XDS_CLUSTER)))
            .setBufferFlushInterval(com.google.protobuf.Duration.newBuilder().setSeconds(FLUSH_SECONDS))
            .setBufferSizeBytes(UInt32Value.of(BUFFER_BYTES)))
        .addAdditionalResponseHeadersToLog(GRPC_STATUS)
        .addAdditionalResponseTrailersToLog(GRPC_STATUS)
        .build();
    return AccessLog.newBuilder().setName(GRPC_ACCESS_LOG).setTypedConfig(Any.pack(config)).build();
  }

  /** A proxyless cluster's LRS server: the xDS server itself. */
  static ConfigSource lrsServer() {
    return ConfigSource.newBuilder().setSelf(SelfConfigSource.getDefaultInstance()).build();
  }
}
