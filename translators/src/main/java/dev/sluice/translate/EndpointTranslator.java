package dev.sluice.translate;

import com.google.protobuf.UInt32Value;
import dev.sluice.model.Endpoints;
import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelVersion;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.util.List;

/** One ClusterLoadAssignment per version: its explicit endpoints in one locality. */
final class EndpointTranslator {
  private EndpointTranslator() {}

  static List<ClusterLoadAssignment> endpoints(ModelRoute route) {
    return route.spec().versions().stream().map(v -> assignment(route, v)).toList();
  }

  private static ClusterLoadAssignment assignment(ModelRoute route, ModelVersion version) {
    // gRPC clients drop a locality without a weight, so every locality carries one. grpc-go and
    // gRPC C-core also reject the whole assignment (NACK) when a locality has no `locality`
    // message, its ID: Sluice knows no region or zone, so each names the empty locality {}.
    LocalityLbEndpoints.Builder locality =
        LocalityLbEndpoints.newBuilder()
            .setLocality(Locality.getDefaultInstance())
            .setLoadBalancingWeight(UInt32Value.of(1));
    version.endpoints().stream()
        .sorted()
        .map(e -> Endpoints.parse(e).orElseThrow())
        .forEach(a -> locality.addLbEndpoints(lbEndpoint(a)));
    return ClusterLoadAssignment.newBuilder()
        .setClusterName(Names.cluster(route, version.name()))
        .addEndpoints(locality)
        .build();
  }

  private static LbEndpoint lbEndpoint(Endpoints.Address address) {
    return LbEndpoint.newBuilder()
        .setEndpoint(
            Endpoint.newBuilder()
                .setAddress(
                    Address.newBuilder()
                        .setSocketAddress(
                            SocketAddress.newBuilder()
                                .setAddress(address.ip())
                                .setPortValue(address.port()))))
        .build();
  }
}
