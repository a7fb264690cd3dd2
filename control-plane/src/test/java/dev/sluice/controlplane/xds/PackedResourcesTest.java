package dev.sluice.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import io.envoyproxy.controlplane.cache.Resources.ApiVersion;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.List;
import org.junit.jupiter.api.Test;

class PackedResourcesTest {
  private final PackedResources packer = new PackedResources();

  @Test
  void theSameResource_isPackedOnce_forEveryStreamItGoesTo() throws Exception {
    RouteConfiguration routes = routes("gateway|10000");
    Any first = packer.serialize(routes, ApiVersion.V3);
    Any again = packer.serialize(routes, ApiVersion.V3);
    assertThat(again).isSameAs(first);
    assertThat(first.unpack(RouteConfiguration.class)).isEqualTo(routes);
  }

  @Test
  void anEqualResourceOfAnotherSnapshot_isFoundByIdentity_notCompared() {
    // java-control-plane's cache finds equal messages by a deep equals, once per proxy per resource.
    RouteConfiguration routes = routes("gateway|10000");
    RouteConfiguration equalCopy = routes.toBuilder().build();
    assertThat(equalCopy).isEqualTo(routes).isNotSameAs(routes);
    Any first = packer.serialize(routes, ApiVersion.V3);
    Any other = packer.serialize(equalCopy, ApiVersion.V3);
    assertThat(other).isNotSameAs(first).isEqualTo(first);
    assertThat(packer.size()).isEqualTo(2);
  }

  @Test
  void aResponsesResources_keepTheirOrder() throws Exception {
    RouteConfiguration a = routes("a");
    RouteConfiguration b = routes("b");
    List<Any> packed = List.copyOf(packer.serialize(List.of(b, a, b), ApiVersion.V3));
    assertThat(packed).hasSize(3);
    assertThat(packed.get(0).unpack(RouteConfiguration.class).getName()).isEqualTo("b");
    assertThat(packed.get(1).unpack(RouteConfiguration.class).getName()).isEqualTo("a");
    assertThat(packed.get(2)).isSameAs(packed.get(0));
  }

  private static RouteConfiguration routes(String name) {
    return RouteConfiguration.newBuilder().setName(name)
        .addVirtualHosts(VirtualHost.newBuilder().setName("scorer").addDomains("scorer.ml")).build();
  }
}
