package dev.sluice.translate;

import dev.sluice.model.ModelRoute;
import dev.sluice.model.TrafficRule;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Virtual hosts and route configurations: a route's rules in order, then its weighted split. */
final class RouteTranslator {
  private RouteTranslator() {}

  /** The gateway's single RouteConfiguration: one virtual host per route. */
  static RouteConfiguration gateway(int listenerPort, List<VirtualHost> virtualHosts) {
    return RouteConfiguration.newBuilder()
        .setName(Names.gatewayRouteConfiguration(listenerPort))
        .addAllVirtualHosts(virtualHosts)
        .build();
  }

  /** A proxyless client's RouteConfiguration for one route, shared by its API listeners. */
  static RouteConfiguration proxyless(ModelRoute route) {
    return RouteConfiguration.newBuilder()
        .setName(Names.routeConfiguration(route))
        .addVirtualHosts(virtualHost(route, ProxyRole.PROXYLESS))
        .build();
  }

  /** The names clients may send as authority: each host, bare and with the route's port. */
  static List<String> domains(ModelRoute route) {
    List<String> domains = new ArrayList<>();
    for (String host : route.spec().hosts()) {
      domains.add(host);
      domains.add(host + ":" + route.spec().port());
    }
    return domains;
  }

  static VirtualHost virtualHost(ModelRoute route, ProxyRole role) {
    VirtualHost.Builder host = VirtualHost.newBuilder()
        .setName(Names.virtualHost(route))
        .addAllDomains(domains(route));
    for (TrafficRule rule : route.spec().effectiveRules()) {
      if (role == ProxyRole.PROXYLESS && !rule.match().effectiveQueryParams().isEmpty()) {
        // A gRPC call has no query string, so such a rule never matches a gRPC client: grpc-java,
        // grpc-go and C-core drop the route (gRFC A28), but grpc-js ignores the condition and
        // would send every call down it. Left out, every client routes the same.
        continue;
      }
      host.addRoutes(ruleRoute(route, rule, role));
    }
    host.addRoutes(defaultRoute(route, role));
    if (route.spec().fault() != null) {
      host.putTypedPerFilterConfig(HttpFilters.FAULT, FaultTranslator.perRoute(route.spec().fault()));
    }
    return host.build();
  }

  /** A rule, before the default route: Envoy takes the first route entry that matches. */
  private static Route ruleRoute(ModelRoute route, TrafficRule rule, ProxyRole role) {
    RouteAction action = rule.version() != null
        ? ActionTranslator.toVersion(route, rule.version(), role)
        : ActionTranslator.split(route, rule.weights(), role);
    return withTracing(Route.newBuilder()
        .setName(Names.ruleRoute(route, rule.name()))
        .setMatch(MatchTranslator.of(rule.match()))
        .setRoute(action), route, role)
        .build();
  }

  private static Route defaultRoute(ModelRoute route, ProxyRole role) {
    Map<String, Integer> weights = new LinkedHashMap<>();
    route.spec().versions().forEach(v -> weights.put(v.name(), v.weight()));
    return withTracing(Route.newBuilder()
        .setName(Names.defaultRoute(route))
        .setMatch(RouteMatch.newBuilder().setPrefix("/"))
        .setRoute(ActionTranslator.split(route, weights, role)), route, role)
        .build();
  }

  /**
   * Every route entry of a ModelRoute carries its sampling override, on Envoy roles only: gRPC
   * clients do not trace from xDS. Envoy reads it only where the listener has a tracer.
   */
  private static Route.Builder withTracing(Route.Builder entry, ModelRoute route, ProxyRole role) {
    if (role.isEnvoy()) {
      TracingTranslator.route(route).ifPresent(entry::setTracing);
    }
    return entry;
  }
}
