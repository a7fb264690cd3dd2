package dev.sluice.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.sluice.model.Metadata;
import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelRouteSpec;
import dev.sluice.model.ModelVersion;
import dev.sluice.model.Protocol;
import dev.sluice.model.Tls;
import dev.sluice.model.TlsMode;
import dev.sluice.translate.check.ProtoRules;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Upstream mTLS on version clusters: who gets it, which identity it checks, what stays plaintext. */
class UpstreamTlsTest {

  static ModelRoute route(Protocol protocol, TlsMode mode) {
    List<ModelVersion> versions = List.of(
        new ModelVersion("v1", 90, List.of("10.0.0.1:8080")),
        new ModelVersion("v2", 10, List.of("10.0.0.2:8080"), "scorer-canary"));
    ModelRouteSpec spec = new ModelRouteSpec(List.of("scorer.ml"), 8080, protocol, versions, null, null)
        .withTls(mode == null ? null : new Tls(mode));
    return ModelRoute.of(Metadata.of("ml", "scorer"), spec);
  }

  static XdsResources translate(ModelRoute route, ProxyGroup group) {
    Translation t = EnvoyTranslator.translate(List.of(route), group);
    assertThat(t.rejected()).isEmpty();
    return t.resources();
  }

  /** Every resource, serialized: equal only when the output is byte-identical. */
  static List<String> bytes(XdsResources r) {
    return java.util.stream.Stream.of(r.listeners(), r.routes(), r.clusters(), r.endpoints())
        .flatMap(List::stream)
        .map(m -> Arrays.toString(m.toByteArray()))
        .toList();
  }

  static UpstreamTlsContext tlsContext(Cluster cluster) throws InvalidProtocolBufferException {
    assertThat(cluster.getTransportSocket().getName()).isEqualTo("envoy.transport_sockets.tls");
    return cluster.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
  }

  static String serverId(Cluster cluster) throws InvalidProtocolBufferException {
    var validation = tlsContext(cluster).getCommonTlsContext().getCombinedValidationContext();
    assertThat(validation.getValidationContextSdsSecretConfig().getName()).isEqualTo("ROOTCA");
    var sans = validation.getDefaultValidationContext().getMatchTypedSubjectAltNamesList();
    assertThat(sans).hasSize(1);
    assertThat(sans.get(0).getSanType()).isEqualTo(SubjectAltNameMatcher.SanType.URI);
    return sans.get(0).getMatcher().getExact();
  }

  @Test
  void proxylessOutput_forEveryTlsMode_isByteIdenticalToTheSameRouteWithoutTls() {
    for (Protocol protocol : Protocol.values()) {
      List<String> plaintext = bytes(translate(route(protocol, null), ProxyGroup.PROXYLESS));
      for (TlsMode mode : TlsMode.values()) {
        assertThat(bytes(translate(route(protocol, mode), ProxyGroup.PROXYLESS))).as("%s %s", protocol, mode)
            .isEqualTo(plaintext);
      }
    }
  }

  @Test
  void gatewayOutput_forDisabledTls_isByteIdenticalToNoTls() {
    assertThat(bytes(translate(route(Protocol.GRPC, TlsMode.DISABLED), ProxyGroup.DEFAULT_GATEWAY)))
        .isEqualTo(bytes(translate(route(Protocol.GRPC, null), ProxyGroup.DEFAULT_GATEWAY)));
    assertThat(translate(route(Protocol.GRPC, TlsMode.DISABLED), ProxyGroup.DEFAULT_GATEWAY).clusters())
        .noneMatch(Cluster::hasTransportSocket);
  }

  @Test
  void mutualAndPermissive_makeGatewaysOriginateTheSameMtls() {
    XdsResources mutual = translate(route(Protocol.HTTP, TlsMode.MUTUAL), ProxyGroup.DEFAULT_GATEWAY);
    XdsResources permissive = translate(route(Protocol.HTTP, TlsMode.PERMISSIVE), ProxyGroup.DEFAULT_GATEWAY);

    assertThat(mutual.clusters()).allMatch(Cluster::hasTransportSocket);
    assertThat(bytes(permissive)).isEqualTo(bytes(mutual));
  }

  @Test
  void eachVersion_acceptsOnlyItsServiceAccount_defaultingToTheRouteName() throws Exception {
    List<Cluster> clusters = translate(route(Protocol.GRPC, TlsMode.MUTUAL), ProxyGroup.DEFAULT_GATEWAY).clusters();

    assertThat(clusters).extracting(Cluster::getName).containsExactly("ml|scorer|v1", "ml|scorer|v2");
    assertThat(serverId(clusters.get(0))).isEqualTo("spiffe://cluster.local/ns/ml/sa/scorer");
    assertThat(serverId(clusters.get(1))).isEqualTo("spiffe://cluster.local/ns/ml/sa/scorer-canary");
    CommonTlsContext common = tlsContext(clusters.get(0)).getCommonTlsContext();
    assertThat(common.getTlsCertificateSdsSecretConfigsList()).extracting(c -> c.getName()).containsExactly("default");
    assertThat(common.getTlsCertificateSdsSecretConfigs(0).getSdsConfig().hasAds()).isTrue();
  }

  @Test
  void grpcRoutes_offerAlpnH2_andHttpRoutes_offerNone() throws Exception {
    Cluster grpc = translate(route(Protocol.GRPC, TlsMode.MUTUAL), ProxyGroup.DEFAULT_GATEWAY).clusters().get(0);
    Cluster http = translate(route(Protocol.HTTP, TlsMode.MUTUAL), ProxyGroup.DEFAULT_GATEWAY).clusters().get(0);

    assertThat(tlsContext(grpc).getCommonTlsContext().getAlpnProtocolsList()).containsExactly("h2");
    assertThat(tlsContext(http).getCommonTlsContext().getAlpnProtocolsList()).isEmpty();
    // ALPN agrees with the cluster's protocol options: explicit HTTP/2 for gRPC, Envoy's HTTP/1.1 otherwise.
    assertThat(grpc.getTypedExtensionProtocolOptionsMap()).containsKey(ClusterTranslator.HTTP_PROTOCOL_OPTIONS);
    assertThat(http.getTypedExtensionProtocolOptionsMap()).isEmpty();
  }

  @Test
  void forTrustDomain_namesServersInThatTrustDomain() throws Exception {
    var t = EnvoyTranslator.forTrustDomain("prod.example.com")
        .translateAll(List.of(route(Protocol.GRPC, TlsMode.MUTUAL)), ProxyGroup.DEFAULT_GATEWAY);

    assertThat(serverId(t.resources().clusters().get(1))).isEqualTo("spiffe://prod.example.com/ns/ml/sa/scorer-canary");
  }

  @Test
  void forTrustDomain_refusesWhatIsNotATrustDomain() {
    for (String bad : Arrays.asList(null, "", "Cluster.Local", "spiffe://cluster.local", "a/b", "x".repeat(256))) {
      assertThatThrownBy(() -> EnvoyTranslator.forTrustDomain(bad)).as("'%s'", bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("trust domain");
    }
  }

  @Test
  void clusterAskingForASecretTheControlPlaneDoesNotServe_isRejectedWithItsPath() throws Exception {
    EnvoyTranslator renaming = new EnvoyTranslator((route, group) -> {
      RouteOutput out = RouteCompiler.STANDARD.compile(route, group);
      List<Cluster> clusters = out.clusters().stream().map(c -> {
        try {
          UpstreamTlsContext.Builder tls = c.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class).toBuilder();
          tls.getCommonTlsContextBuilder().getTlsCertificateSdsSecretConfigsBuilder(0).setName("spiffe-cert");
          return c.toBuilder().setTransportSocket(c.getTransportSocket().toBuilder().setTypedConfig(Any.pack(tls.build())))
              .build();
        } catch (InvalidProtocolBufferException e) {
          throw new AssertionError(e);
        }
      }).toList();
      return new RouteOutput(clusters, out.endpoints(), out.listeners(), out.routeConfigurations(), out.virtualHost());
    });

    Translation t = renaming.translateAll(List.of(route(Protocol.HTTP, TlsMode.MUTUAL)), ProxyGroup.DEFAULT_GATEWAY);

    assertThat(t.rejected()).containsOnlyKeys("ml/scorer");
    assertThat(t.rejected().get("ml/scorer")).extracting(e -> e.field())
        .containsExactly("envoy.cluster[ml|scorer|v1].transport_socket", "envoy.cluster[ml|scorer|v2].transport_socket");
    assertThat(t.rejected().get("ml/scorer").get(0).message()).contains("spiffe-cert", "default", "ROOTCA");
  }

  @Test
  void pgvRules_reachInsideTheUpstreamTlsContext() throws Exception {
    Cluster cluster = translate(route(Protocol.HTTP, TlsMode.MUTUAL), ProxyGroup.DEFAULT_GATEWAY).clusters().get(0);
    UpstreamTlsContext.Builder tls = tlsContext(cluster).toBuilder();
    tls.getCommonTlsContextBuilder().getCombinedValidationContextBuilder().getDefaultValidationContextBuilder()
        .getMatchTypedSubjectAltNamesBuilder(0).setSanType(SubjectAltNameMatcher.SanType.SAN_TYPE_UNSPECIFIED);
    Cluster broken = cluster.toBuilder()
        .setTransportSocket(cluster.getTransportSocket().toBuilder().setTypedConfig(Any.pack(tls.build())))
        .build();

    assertThat(ProtoRules.check(cluster, EnvoyJson.PACKED)).isEmpty();
    assertThat(ProtoRules.check(broken, EnvoyJson.PACKED)).extracting(v -> v.path())
        .containsExactly("transport_socket.typed_config(envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext)"
            + ".common_tls_context.combined_validation_context.default_validation_context"
            + ".match_typed_subject_alt_names[0].san_type");
  }
}
