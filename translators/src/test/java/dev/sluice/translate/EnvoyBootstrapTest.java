package dev.sluice.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import dev.sluice.translate.check.ProtoRules;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvoyBootstrapTest {
  static final EnvoyBootstrap.Spec SPEC = new EnvoyBootstrap.Spec("gw-1", "ml/gateway",
      Map.of("sluice.role", "gateway", "sluice.token_id", "t-1"), "sluice.example.com", 18001,
      "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "spiffe://cluster.local/ns/sluice-system/sa/sluice",
      "header.claims.signature", 9901);

  @Test
  void bootstrap_passesEnvoysProtoRules_andReadsBackFromItsJson() throws Exception {
    Bootstrap bootstrap = EnvoyBootstrap.of(SPEC);
    assertThat(ProtoRules.check(bootstrap, EnvoyJson.TYPES)).isEmpty();
    Bootstrap.Builder parsed = Bootstrap.newBuilder();
    JsonFormat.parser().usingTypeRegistry(EnvoyJson.TYPES).merge(EnvoyJson.print(bootstrap), parsed);
    assertThat(parsed.build()).isEqualTo(bootstrap);
  }

  @Test
  void adsGoesOverTls_toTheSecurePort_trustingOnlyTheBundle_andTheControlPlanesSpiffeId() throws Exception {
    Bootstrap b = EnvoyBootstrap.of(SPEC);
    var ads = b.getDynamicResources().getAdsConfig();
    assertThat(ads.getGrpcServices(0).getEnvoyGrpc().getClusterName()).isEqualTo(EnvoyBootstrap.XDS_CLUSTER);
    assertThat(ads.getGrpcServices(0).getInitialMetadata(0).getKey()).isEqualTo("authorization");
    assertThat(ads.getGrpcServices(0).getInitialMetadata(0).getValue()).isEqualTo("Bearer header.claims.signature");
    assertThat(b.getDynamicResources().getCdsConfig().hasAds()).isTrue();
    assertThat(b.getDynamicResources().getLdsConfig().hasAds()).isTrue();

    Cluster xds = b.getStaticResources().getClusters(0);
    assertThat(xds.getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress().getSocketAddress().getPortValue())
        .isEqualTo(18001);
    UpstreamTlsContext tls = xds.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
    var validation = tls.getCommonTlsContext().getValidationContext();
    assertThat(validation.getTrustedCa().getInlineString()).isEqualTo(SPEC.trustBundlePem());
    assertThat(validation.getMatchTypedSubjectAltNames(0).getMatcher().getExact())
        .isEqualTo("spiffe://cluster.local/ns/sluice-system/sa/sluice");
    assertThat(b.getNode().getId()).isEqualTo("gw-1");
    assertThat(b.getNode().getMetadata().getFieldsOrThrow("sluice.role").getStringValue()).isEqualTo("gateway");
  }

  @Test
  void loadReportsGoToTheSamePort_throughTheSameCluster_withTheSameCredentialAsAds() {
    Bootstrap b = EnvoyBootstrap.of(SPEC);
    var lrs = b.getClusterManager().getLoadStatsConfig();

    assertThat(lrs.getApiType()).isEqualTo(io.envoyproxy.envoy.config.core.v3.ApiConfigSource.ApiType.GRPC);
    assertThat(lrs.getTransportApiVersion()).isEqualTo(io.envoyproxy.envoy.config.core.v3.ApiVersion.V3);
    assertThat(lrs.getGrpcServicesList()).containsExactlyElementsOf(b.getDynamicResources().getAdsConfig().getGrpcServicesList());
    assertThat(lrs.getGrpcServices(0).getEnvoyGrpc().getClusterName()).isEqualTo(EnvoyBootstrap.XDS_CLUSTER);
  }

  @Test
  void theSpecsToString_neverNamesTheToken() {
    assertThat(SPEC.toString()).doesNotContain("signature").contains("gw-1");
  }
}
