package dev.sluice.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.model.Metadata;
import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelRouteSpec;
import dev.sluice.model.ModelVersion;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvoyTranslatorTest {

  static ModelRoute route(String name, String host) {
    return ModelRoute.of(
        Metadata.of("ml", name),
        new ModelRouteSpec(List.of(host), 8080, null,
            List.of(new ModelVersion("v1", 100, List.of("10.0.0.1:8080"))), null, null));
  }

  @Test
  void sameInputInAnyOrder_givesByteIdenticalOutput() {
    List<ModelRoute> routes = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      routes.add(route("m" + i, "m" + i + ".ml"));
    }
    List<ModelRoute> shuffled = new ArrayList<>(routes);
    Collections.shuffle(shuffled, new java.util.Random(7));

    for (ProxyGroup group : GoldenTranslationTest.GROUPS) {
      XdsResources a = EnvoyTranslator.translate(routes, group).resources();
      XdsResources b = EnvoyTranslator.translate(shuffled, group).resources();
      assertThat(a).isEqualTo(b);
      assertThat(ContentVersion.of(a.clusters())).isEqualTo(ContentVersion.of(b.clusters()));
      assertThat(ContentVersion.of(a.listeners())).isEqualTo(ContentVersion.of(b.listeners()));
    }
  }

  @Test
  void routeClaimingAHostAnotherRouteServes_isRejectedAloneWithFieldPath() {
    List<ModelRoute> routes = List.of(route("a", "shared.ml"), route("b", "shared.ml"), route("c", "c.ml"));

    Translation t = EnvoyTranslator.translate(routes, ProxyGroup.PROXYLESS);

    assertThat(t.rejected()).containsOnlyKeys("ml/b");
    assertThat(t.rejected().get("ml/b").get(0).field()).isEqualTo("spec.hosts[0]");
    assertThat(t.resources().clusters()).extracting(c -> c.getName()).containsExactly("ml|a|v1", "ml|c|v1");
  }

  @Test
  void routeOnAPortSidecarsKeep_isRejectedForSidecarsOnly() {
    ModelRoute onOutbound = ModelRoute.of(Metadata.of("ml", "odd"), new ModelRouteSpec(List.of("odd.ml"), 15001, null,
        List.of(new ModelVersion("v1", 100, List.of("10.0.0.1:15001"))), null, null));
    List<ModelRoute> routes = List.of(onOutbound, route("good", "good.ml"));

    Translation sidecar = EnvoyTranslator.translate(routes, GoldenTranslationTest.SIDECAR);

    assertThat(sidecar.rejected()).containsOnlyKeys("ml/odd");
    assertThat(sidecar.rejected().get("ml/odd").get(0).field()).isEqualTo("spec.port");
    assertThat(sidecar.rejected().get("ml/odd").get(0).message()).contains("15001");
    assertThat(sidecar.resources().routes()).extracting(r -> r.getName())
        .containsExactly("sidecar|outbound|8080", "sidecar|outbound|explicit");
    assertThat(EnvoyTranslator.translate(routes, ProxyGroup.DEFAULT_GATEWAY).rejected()).isEmpty();
  }

  @Test
  void sidecarsOutbound_hasAChainPerRoutePort_theExplicitChain_andTcpPassthroughForTheRest() {
    ModelRoute grpc = ModelRoute.of(Metadata.of("ml", "embed"), new ModelRouteSpec(List.of("embed.ml"), 9000, null,
        List.of(new ModelVersion("v1", 100, List.of("10.0.0.2:9000"))), null, null));
    XdsResources out = EnvoyTranslator.translate(List.of(grpc, route("score", "score.ml")), GoldenTranslationTest.SIDECAR)
        .resources();

    var outbound = out.listeners().stream().filter(l -> l.getName().equals("sidecar|outbound")).findFirst().orElseThrow();
    assertThat(outbound.getAddress().getSocketAddress().getPortValue()).isEqualTo(SidecarPorts.OUTBOUND);
    assertThat(outbound.getFilterChainsList()).extracting(c -> c.getFilterChainMatch().getDestinationPort().getValue())
        .containsExactly(8080, 9000, SidecarPorts.OUTBOUND);
    assertThat(outbound.getDefaultFilterChain().getFilters(0).getName()).isEqualTo("envoy.filters.network.tcp_proxy");
    var byName = new java.util.HashMap<String, io.envoyproxy.envoy.config.route.v3.RouteConfiguration>();
    out.routes().forEach(r -> byName.put(r.getName(), r));
    assertThat(byName.get("sidecar|outbound|9000").getVirtualHostsList()).extracting(v -> v.getName())
        .containsExactly("ml|embed", "passthrough");
    assertThat(byName.get("sidecar|outbound|explicit").getVirtualHostsList()).extracting(v -> v.getName())
        .containsExactly("ml|embed", "ml|score");
    assertThat(out.clusters()).extracting(c -> c.getName()).contains("sluice|passthrough", "inbound|50051");
  }

  @Test
  void invalidRoute_isLeftOutAndTheOthersStay() {
    ModelRoute bad = route("bad", "bad.ml").withSpec(route("bad", "bad.ml").spec().withVersions(List.of()));

    Translation t = EnvoyTranslator.translate(List.of(bad, route("good", "good.ml")), ProxyGroup.DEFAULT_GATEWAY);

    assertThat(t.rejected()).containsOnlyKeys("ml/bad");
    assertThat(t.resources().routes().get(0).getVirtualHostsList()).extracting(v -> v.getName()).containsExactly("ml|good");
  }

  @Test
  void contentVersion_changesWithContent() {
    var one = EnvoyTranslator.translate(List.of(route("a", "a.ml")), ProxyGroup.PROXYLESS).resources();
    var two = EnvoyTranslator.translate(List.of(route("a", "a2.ml")), ProxyGroup.PROXYLESS).resources();

    assertThat(ContentVersion.of(one.listeners())).isNotEqualTo(ContentVersion.of(two.listeners()));
    assertThat(ContentVersion.of(one.clusters())).isEqualTo(ContentVersion.of(two.clusters()));
  }
}
