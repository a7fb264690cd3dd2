package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelRouteCodec;
import dev.sluice.translate.EnvoyTranslator;
import dev.sluice.translate.ProxyGroup;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code WeightedCluster.use_hash_policy} is newer than java-control-plane's protos, so Sluice
 * writes it by field number. grpc-xds ships a newer copy of Envoy's protos: parsing our bytes with
 * it proves the number and the type are the ones Envoy defines.
 */
class UseHashPolicyWireTest {

  @Test
  void stickySplit_carriesUseHashPolicyAsEnvoysNewerProtosReadIt() throws Exception {
    ModelRoute route = ModelRouteCodec.parse("""
        metadata: {name: rec, namespace: ml}
        spec:
          hosts: [rec.ml]
          port: 8080
          versions:
            - {name: v1, weight: 80, endpoints: ["10.0.0.1:8080"]}
            - {name: v2, weight: 20, endpoints: ["10.0.0.2:8080"]}
          sticky: {header: x-user-id}
        """, ModelRouteCodec.Format.YAML).route();
    RouteConfiguration ours = EnvoyTranslator.translate(List.of(route), ProxyGroup.DEFAULT_GATEWAY)
        .resources().routes().get(0);

    var theirs = io.grpc.xds.shaded.io.envoyproxy.envoy.config.route.v3.RouteConfiguration.parseFrom(ours.toByteString());

    var split = theirs.getVirtualHosts(0).getRoutes(0).getRoute().getWeightedClusters();
    assertThat(split.hasUseHashPolicy()).isTrue();
    assertThat(split.getUseHashPolicy().getValue()).isTrue();
    assertThat(split.getUnknownFields().asMap()).isEmpty();
    assertThat(theirs.getVirtualHosts(0).getRoutes(0).getRoute().getHashPolicy(0).getHeader().getHeaderName())
        .isEqualTo("x-user-id");
  }
}
