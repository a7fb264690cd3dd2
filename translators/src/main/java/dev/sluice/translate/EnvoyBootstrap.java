package dev.sluice.translate;

import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.bootstrap.v3.Admin;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.bootstrap.v3.ClusterManager;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bootstrap of an Envoy that Sluice configures from outside Kubernetes: one ADS stream over TLS
 * to the control plane's secure port, which it authenticates by the control plane's SPIFFE ID
 * under Sluice's roots, carrying the proxy's bootstrap token as gRPC metadata. Listeners and
 * clusters come over that stream; certificates too ({@code sds_config: ads}). Envoy reports the
 * load of its clusters to the same port with the same credential
 * ({@code cluster_manager.load_stats_config}), and logs requests of routes under a rollout through
 * the same cluster ({@link Measurements}): measurements for rollouts.
 */
public final class EnvoyBootstrap {
  /** The static cluster that reaches the control plane. */
  public static final String XDS_CLUSTER = "sluice-xds";
  static final String TLS_SOCKET = "envoy.transport_sockets.tls";

  /**
   * What the bootstrap says.
   *
   * @param nodeId the proxy's node id, pinned to its token
   * @param nodeCluster Envoy's {@code node.cluster}: the proxy's namespace and service account
   * @param metadata {@code node.metadata}, e.g. {@code sluice.role}
   * @param xdsHost the host name or address the proxy dials
   * @param xdsPort the control plane's secure xDS port
   * @param trustBundlePem the roots that sign the control plane's serving certificate
   * @param controlPlaneSpiffeId the URI SAN the control plane's certificate must carry
   * @param bearerToken the proxy's credential, sent as {@code authorization: Bearer ...}
   * @param adminPort Envoy's admin port, bound to 127.0.0.1
   */
  public record Spec(String nodeId, String nodeCluster, Map<String, String> metadata, String xdsHost, int xdsPort,
      String trustBundlePem, String controlPlaneSpiffeId, String bearerToken, int adminPort) {
    public Spec {
      metadata = Map.copyOf(metadata);
    }

    /** Names no secret: the token is left out. */
    @Override
    public String toString() {
      return "EnvoyBootstrap.Spec[node=" + nodeId + ", xds=" + xdsHost + ":" + xdsPort + "]";
    }
  }

  private EnvoyBootstrap() {}

  public static Bootstrap of(Spec spec) {
    Struct.Builder metadata = Struct.newBuilder();
    new TreeMap<>(spec.metadata()).forEach((k, v) -> metadata.putFields(k, Value.newBuilder().setStringValue(v).build()));
    return Bootstrap.newBuilder()
        .setNode(Node.newBuilder().setId(spec.nodeId()).setCluster(spec.nodeCluster()).setMetadata(metadata))
        .setDynamicResources(Bootstrap.DynamicResources.newBuilder()
            .setAdsConfig(ApiConfigSource.newBuilder()
                .setApiType(ApiConfigSource.ApiType.GRPC)
                .setTransportApiVersion(ApiVersion.V3)
                .setSetNodeOnFirstMessageOnly(true)
                .addGrpcServices(controlPlane(spec)))
            .setCdsConfig(ConfigSources.ads())
            .setLdsConfig(ConfigSources.ads()))
        // Load reports of every cluster, for rollouts: to the same port with the same credential.
        .setClusterManager(ClusterManager.newBuilder()
            .setLoadStatsConfig(ApiConfigSource.newBuilder()
                .setApiType(ApiConfigSource.ApiType.GRPC)
                .setTransportApiVersion(ApiVersion.V3)
                .addGrpcServices(controlPlane(spec))))
        .setStaticResources(Bootstrap.StaticResources.newBuilder().addClusters(xdsCluster(spec)))
        .setAdmin(Admin.newBuilder().setAddress(address("127.0.0.1", spec.adminPort())))
        .build();
  }

  /** The control plane's secure port through {@link #XDS_CLUSTER}, with the proxy's credential. */
  private static GrpcService controlPlane(Spec spec) {
    return GrpcService.newBuilder()
        .setEnvoyGrpc(GrpcService.EnvoyGrpc.newBuilder().setClusterName(XDS_CLUSTER))
        .addInitialMetadata(HeaderValue.newBuilder().setKey("authorization").setValue("Bearer " + spec.bearerToken()))
        .build();
  }

  private static Cluster xdsCluster(Spec spec) {
    UpstreamTlsContext tls = UpstreamTlsContext.newBuilder()
        .setSni(spec.xdsHost())
        .setCommonTlsContext(CommonTlsContext.newBuilder()
            .addAlpnProtocols("h2")
            .setValidationContext(CertificateValidationContext.newBuilder()
                .setTrustedCa(DataSource.newBuilder().setInlineString(spec.trustBundlePem()))
                .addMatchTypedSubjectAltNames(SubjectAltNameMatcher.newBuilder()
                    .setSanType(SubjectAltNameMatcher.SanType.URI)
                    .setMatcher(StringMatcher.newBuilder().setExact(spec.controlPlaneSpiffeId())))))
        .build();
    HttpProtocolOptions h2 = HttpProtocolOptions.newBuilder()
        .setExplicitHttpConfig(HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
            .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance()))
        .build();
    return Cluster.newBuilder()
        .setName(XDS_CLUSTER)
        .setType(Cluster.DiscoveryType.STRICT_DNS)
        .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(5))
        .putTypedExtensionProtocolOptions(ClusterTranslator.HTTP_PROTOCOL_OPTIONS, Any.pack(h2))
        .setTransportSocket(TransportSocket.newBuilder().setName(TLS_SOCKET).setTypedConfig(Any.pack(tls)))
        .setLoadAssignment(ClusterLoadAssignment.newBuilder()
            .setClusterName(XDS_CLUSTER)
            .addEndpoints(LocalityLbEndpoints.newBuilder()
                .addLbEndpoints(LbEndpoint.newBuilder()
                    .setEndpoint(Endpoint.newBuilder().setAddress(address(spec.xdsHost(), spec.xdsPort()))))))
        .build();
  }

  private static Address address(String host, int port) {
    return Address.newBuilder()
        .setSocketAddress(SocketAddress.newBuilder().setAddress(host).setPortValue(port))
        .build();
  }
}
