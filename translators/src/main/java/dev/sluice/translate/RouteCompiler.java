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

  RouteCompiler STANDARD = (route, group) -> {
    boolean proxyless = group.role() == ProxyRole.PROXYLESS;
    return new RouteOutput(
        ClusterTranslator.clusters(route),
        EndpointTranslator.endpoints(route),
        proxyless ? ListenerTranslator.proxyless(route) : List.of(),
        proxyless ? List.of(RouteTranslator.proxyless(route)) : List.of(),
        RouteTranslator.virtualHost(route, group.role()));
  };
}
