package dev.sluice.translate;

import dev.sluice.model.ModelRoute;
import java.util.List;

/**
 * Turns one valid ModelRoute into its Envoy resources for a proxy group. {@link #STANDARD} is
 * Sluice's; the interface exists so that the checks after it can be exercised with output broken
 * on purpose, past anything the model's validation would let through.
 */
@FunctionalInterface
public interface RouteCompiler {
  RouteOutput compile(ModelRoute route, ProxyGroup group);

  /** Sluice's compiler, with mTLS identities in the {@link SpiffeIds#DEFAULT_TRUST_DOMAIN}. */
  RouteCompiler STANDARD = forTrustDomain(SpiffeIds.DEFAULT_TRUST_DOMAIN);

  /**
   * Sluice's compiler, naming the servers Envoy accepts under mTLS in {@code trustDomain}.
   *
   * @throws IllegalArgumentException when {@code trustDomain} is not a SPIFFE trust domain
   */
  static RouteCompiler forTrustDomain(String trustDomain) {
    String domain = SpiffeIds.requireTrustDomain(trustDomain);
    return (route, group) -> {
      boolean proxyless = group.role() == ProxyRole.PROXYLESS;
      return new RouteOutput(
          ClusterTranslator.clusters(route, group.role(), domain),
          EndpointTranslator.endpoints(route, EndpointSource.NONE),
          proxyless ? ListenerTranslator.proxyless(route) : List.of(),
          proxyless ? List.of(RouteTranslator.proxyless(route)) : List.of(),
          RouteTranslator.virtualHost(route, group.role()),
          EndpointTranslator.discoveredClusters(route));
    };
  }
}
