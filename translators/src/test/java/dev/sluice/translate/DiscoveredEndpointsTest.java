package dev.sluice.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.model.Metadata;
import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelRouteSpec;
import dev.sluice.model.ModelVersion;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Versions whose servers come from an {@link EndpointSource} (Kubernetes EndpointSlices). */
class DiscoveredEndpointsTest {

  private static ModelRoute route() {
    return ModelRoute.of(Metadata.of("ml", "fraud"), new ModelRouteSpec(List.of("fraud.ml"), 8080, null,
        List.of(new ModelVersion("v1", 90, null, null, Map.of("app", "fraud", "version", "v1"), null),
            new ModelVersion("v2", 10, null, null, null, "fraud-v2")),
        null, null, null, null, null, null, null, null, null, null, "fraud"));
  }

  @Test
  void oneLocalityPerZone_weightedByItsServers_ipv4AndIpv6() {
    EndpointSource source = (route, version) -> version.name().equals("v1")
        ? List.of(new EndpointSource.Member("10.0.0.2", 8080, "zone-b"), new EndpointSource.Member("10.0.0.1", 8080, "zone-a"),
            new EndpointSource.Member("fd00::3", 8080, "zone-a"))
        : List.of(new EndpointSource.Member("10.0.1.1", 9090, null));
    List<ClusterLoadAssignment> cla = EnvoyTranslator.STANDARD.withEndpoints(source)
        .translateAll(List.of(route()), ProxyGroup.PROXYLESS).resources().endpoints();

    assertThat(cla).hasSize(2);
    List<LocalityLbEndpoints> v1 = cla.get(0).getEndpointsList();
    assertThat(v1).extracting(l -> l.getLocality().getZone()).containsExactly("zone-a", "zone-b");
    assertThat(v1).extracting(l -> l.getLoadBalancingWeight().getValue()).containsExactly(2, 1);
    assertThat(v1.get(0).getLbEndpointsList())
        .extracting(e -> e.getEndpoint().getAddress().getSocketAddress().getAddress())
        .containsExactly("10.0.0.1", "fd00::3");
    LocalityLbEndpoints v2 = cla.get(1).getEndpoints(0);
    assertThat(v2.hasLocality()).isTrue();
    assertThat(v2.getLocality().getZone()).isEmpty();
    assertThat(v2.getLbEndpoints(0).getEndpoint().getAddress().getSocketAddress().getPortValue()).isEqualTo(9090);
  }

  @Test
  void aVersionWithNoServersYet_isServedWithNoEndpoints_notRejected() {
    Translation t = EnvoyTranslator.STANDARD.translateAll(List.of(route()), ProxyGroup.DEFAULT_GATEWAY);
    assertThat(t.rejected()).isEmpty();
    assertThat(t.resources().endpoints()).allSatisfy(c -> assertThat(c.getEndpointsList()).isEmpty());
  }

  @Test
  void serversAreAskedOnEveryTranslation_whileTheRestIsRemembered() {
    AtomicInteger calls = new AtomicInteger();
    List<EndpointSource.Member> servers = new ArrayList<>(List.of(new EndpointSource.Member("10.0.0.1", 80, null)));
    EnvoyTranslator translator = EnvoyTranslator.STANDARD.memoizing().withEndpoints((route, version) -> {
      calls.incrementAndGet();
      return List.copyOf(servers);
    });
    Translation first = translator.translateAll(List.of(route()), ProxyGroup.PROXYLESS);
    servers.add(new EndpointSource.Member("10.0.0.2", 80, null));
    Translation second = translator.translateAll(List.of(route()), ProxyGroup.PROXYLESS);

    assertThat(calls.get()).as("two versions, asked on each of two translations").isEqualTo(4);
    assertThat(second.resources().clusters()).isEqualTo(first.resources().clusters());
    assertThat(second.resources().listeners()).isEqualTo(first.resources().listeners());
    assertThat(second.resources().endpoints().get(0).getEndpoints(0).getLbEndpointsCount()).isEqualTo(2);
  }
}
