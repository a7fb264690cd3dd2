package dev.sluice.translate;

import com.google.protobuf.Any;
import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelVersion;
import dev.sluice.model.Protocol;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.util.List;

/**
 * One EDS cluster per version of a route, with the route's limits, ejection policy and, for Envoy
 * roles, its upstream mTLS ({@link UpstreamTls}); for proxyless clients of a route with a rollout,
 * load reports to the xDS server ({@link Measurements}).
 */
final class ClusterTranslator {
  static final String HTTP_PROTOCOL_OPTIONS = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

  private ClusterTranslator() {}

  static List<Cluster> clusters(ModelRoute route, ProxyRole role, String trustDomain) {
    return route.spec().versions().stream().map(v -> cluster(route, v, role, trustDomain)).toList();
  }

  private static Cluster cluster(ModelRoute route, ModelVersion version, ProxyRole role, String trustDomain) {
    String name = Names.cluster(route, version.name());
    Cluster.Builder cluster =
        Cluster.newBuilder()
            .setName(name)
            .setType(Cluster.DiscoveryType.EDS)
            .setEdsClusterConfig(
                Cluster.EdsClusterConfig.newBuilder()
                    .setEdsConfig(ConfigSources.ads())
                    .setServiceName(name))
            // Sticky users also keep their server within a version: consistent hashing on the
            // same key the route hashes (a model server's caches stay warm for its users).
            .setLbPolicy(route.spec().sticky() != null ? Cluster.LbPolicy.RING_HASH : Cluster.LbPolicy.ROUND_ROBIN);
    ClusterPolicies.circuitBreakers(route.spec()).ifPresent(cluster::setCircuitBreakers);
    ClusterPolicies.outlierDetection(route.spec()).ifPresent(cluster::setOutlierDetection);
    if (route.spec().effectiveProtocol() == Protocol.GRPC) {
      cluster.putTypedExtensionProtocolOptions(HTTP_PROTOCOL_OPTIONS, Any.pack(http2Only()));
    }
    UpstreamTls.socket(route, version, role, trustDomain).ifPresent(cluster::setTransportSocket);
    if (role == ProxyRole.PROXYLESS && Measurements.wanted(route)) {
      cluster.setLrsServer(Measurements.lrsServer()); // Envoy roles report load from their bootstrap
    }
    return cluster.build();
  }

  /** Upstream connections speak HTTP/2 only, as gRPC needs. */
  static HttpProtocolOptions http2Only() {
    return HttpProtocolOptions.newBuilder()
        .setExplicitHttpConfig(
            HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
                .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance()))
        .build();
  }
}
