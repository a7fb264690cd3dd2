package dev.sluice.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.sluice.model.Metadata;
import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelRouteSpec;
import dev.sluice.model.ModelVersion;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointTranslatorTest {

  static ModelRoute twoVersions() {
    return ModelRoute.of(
        Metadata.of("ml", "split"),
        new ModelRouteSpec(List.of("split.ml"), 8080, null,
            List.of(new ModelVersion("v1", 90, List.of("10.0.0.12:8080", "10.0.0.11:8080")),
                new ModelVersion("v2", 10, List.of("10.0.0.21:8080"))),
            null, null));
  }

  /**
   * grpc-go NACKs an assignment whose locality has no ID ("EDS response contains a locality without
   * ID"), gRPC C-core likewise ("endpoints[0].locality error:field not present"): the {@code locality}
   * message must be present on the wire, even empty. Checked after a round trip through the bytes a
   * client receives, where presence is what counts.
   */
  @Test
  void everyLocality_namesItsLocality_forGrpcGoAndCCore() throws InvalidProtocolBufferException {
    for (ProxyGroup group : List.of(ProxyGroup.PROXYLESS, ProxyGroup.DEFAULT_GATEWAY)) {
      List<ClusterLoadAssignment> assignments =
          EnvoyTranslator.translate(List.of(twoVersions()), group).resources().endpoints();
      assertThat(assignments).hasSize(2);
      for (ClusterLoadAssignment sent : assignments) {
        ClusterLoadAssignment received = Any.pack(sent).unpack(ClusterLoadAssignment.class);
        assertThat(received.getEndpointsList()).isNotEmpty();
        for (LocalityLbEndpoints locality : received.getEndpointsList()) {
          assertThat(locality.hasLocality()).as("%s in %s has a locality ID", sent.getClusterName(), group).isTrue();
          assertThat(locality.getLoadBalancingWeight().getValue()).isPositive();
        }
      }
    }
  }
}
