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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One ClusterLoadAssignment per version: its explicit endpoints, or for a version from Kubernetes
 * the servers its {@link EndpointSource} knows, one locality per zone.
 */
final class EndpointTranslator {
  private static final Comparator<EndpointSource.Member> ORDER = Comparator
      .comparing(EndpointSource.Member::ip)
      .thenComparingInt(EndpointSource.Member::port);

  private EndpointTranslator() {}

  static List<ClusterLoadAssignment> endpoints(ModelRoute route, EndpointSource source) {
    return route.spec().versions().stream().map(v -> assignment(route, v, source)).toList();
  }

  /** Whether any version of the route takes its servers from an {@link EndpointSource}. */
  static boolean discovers(ModelRoute route) {
    return route.spec().versions().stream().anyMatch(ModelVersion::fromKubernetes);
  }

  /** The clusters whose endpoints come from an {@link EndpointSource} and may be empty for a while. */
  static Set<String> discoveredClusters(ModelRoute route) {
    return route.spec().versions().stream()
        .filter(ModelVersion::fromKubernetes)
        .map(v -> Names.cluster(route, v.name()))
        .collect(Collectors.toUnmodifiableSet());
  }

  private static ClusterLoadAssignment assignment(ModelRoute route, ModelVersion version, EndpointSource source) {
    List<EndpointSource.Member> members = version.fromKubernetes()
        ? source.members(route, version)
        : version.endpoints().stream()
            .map(e -> Endpoints.parse(e).orElseThrow())
            .map(a -> new EndpointSource.Member(a.ip(), a.port(), null))
            .toList();
    // One locality per zone, "" (no zone) first. gRPC clients drop a locality without a weight, so
    // each carries one: its number of servers, which keeps the share per server even across zones.
    // grpc-go and gRPC C-core also reject an assignment (NACK) whose locality has no `locality`
    // message: a server without a zone is in the empty locality {}.
    Map<String, List<EndpointSource.Member>> byZone = new TreeMap<>();
    for (EndpointSource.Member m : members) {
      byZone.computeIfAbsent(m.zone() == null ? "" : m.zone(), z -> new ArrayList<>()).add(m);
    }
    ClusterLoadAssignment.Builder assignment = ClusterLoadAssignment.newBuilder()
        .setClusterName(Names.cluster(route, version.name()));
    byZone.forEach((zone, inZone) -> {
      LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder()
          .setLocality(zone.isEmpty() ? Locality.getDefaultInstance() : Locality.newBuilder().setZone(zone).build())
          .setLoadBalancingWeight(UInt32Value.of(inZone.size()));
      inZone.stream().sorted(ORDER).forEach(m -> locality.addLbEndpoints(lbEndpoint(m)));
      assignment.addEndpoints(locality);
    });
    if (byZone.isEmpty() && !version.fromKubernetes()) {
      throw new IllegalStateException("version " + version.name() + " of " + route.key() + " lists no endpoints");
    }
    return assignment.build();
  }

  private static LbEndpoint lbEndpoint(EndpointSource.Member member) {
    return LbEndpoint.newBuilder()
        .setEndpoint(
            Endpoint.newBuilder()
                .setAddress(
                    Address.newBuilder()
                        .setSocketAddress(
                            SocketAddress.newBuilder()
                                .setAddress(member.ip())
                                .setPortValue(member.port()))))
        .build();
  }
}
