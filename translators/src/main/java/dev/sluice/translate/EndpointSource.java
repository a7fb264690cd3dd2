package dev.sluice.translate;

import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelVersion;
import java.util.List;

/**
 * Where the servers of a version that names no endpoints come from: in Kubernetes mode, the
 * EndpointSlices of its Service. The translator asks it on every translation, outside the memory of
 * compiled routes, so a change of servers recomputes endpoints (EDS) alone.
 */
@FunctionalInterface
public interface EndpointSource {

  /** The servers of {@code version} (one whose {@link ModelVersion#fromKubernetes()} holds) right now. */
  List<Member> members(ModelRoute route, ModelVersion version);

  /**
   * One server.
   *
   * @param ip an IPv4 or IPv6 address
   * @param zone its zone (Envoy and gRPC locality), or null when unknown
   */
  record Member(String ip, int port, String zone) {}

  /** Knows no servers: versions from Kubernetes get none (standalone mode refuses them at write time). */
  EndpointSource NONE = (route, version) -> List.of();
}
