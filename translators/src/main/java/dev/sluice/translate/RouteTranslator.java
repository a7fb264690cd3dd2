package dev.sluice.translate;

import com.google.protobuf.UInt32Value;
import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelRouteSpec;
import dev.sluice.model.ModelVersion;
import dev.sluice.model.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import java.util.ArrayList;
import java.util.List;

/** Virtual hosts and route configurations: the weighted split, timeout and retries of a route. */
final class RouteTranslator {
  private RouteTranslator() {}

  /** The gateway's single RouteConfiguration: one virtual host per route. */
  static RouteConfiguration gateway(int listenerPort, List<ModelRoute> routes) {
    RouteConfiguration.Builder config =
        RouteConfiguration.newBuilder().setName(Names.gatewayRouteConfiguration(listenerPort));
    routes.forEach(r -> config.addVirtualHosts(virtualHost(r, ProxyRole.GATEWAY)));
    return config.build();
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

  private static VirtualHost virtualHost(ModelRoute route, ProxyRole role) {
    return VirtualHost.newBuilder()
        .setName(Names.virtualHost(route))
        .addAllDomains(domains(route))
        .addRoutes(defaultRoute(route, role))
        .build();
  }

  private static Route defaultRoute(ModelRoute route, ProxyRole role) {
    return Route.newBuilder()
        .setName(Names.defaultRoute(route))
        .setMatch(RouteMatch.newBuilder().setPrefix("/"))
        .setRoute(action(route, role))
        .build();
  }

  private static RouteAction action(ModelRoute route, ProxyRole role) {
    ModelRouteSpec spec = route.spec();
    RouteAction.Builder action = RouteAction.newBuilder().setWeightedClusters(split(route));
    if (spec.timeout() != null) {
      action.setTimeout(ProtoDurations.of(spec.timeout()));
      if (role == ProxyRole.PROXYLESS) {
        // gRPC clients ignore RouteAction.timeout and take the deadline from max_stream_duration.
        action.setMaxStreamDuration(
            RouteAction.MaxStreamDuration.newBuilder().setMaxStreamDuration(ProtoDurations.of(spec.timeout())));
      }
    }
    if (spec.retries() != null && spec.retries().attempts() > 0) {
      action.setRetryPolicy(retryPolicy(spec.retries()));
    }
    return action.build();
  }

  private static WeightedCluster split(ModelRoute route) {
    WeightedCluster.Builder split = WeightedCluster.newBuilder();
    for (ModelVersion version : route.spec().versions()) {
      if (version.weight() > 0) {
        split.addClusters(
            WeightedCluster.ClusterWeight.newBuilder()
                .setName(Names.cluster(route, version.name()))
                .setWeight(UInt32Value.of(version.weight())));
      }
    }
    return split.build();
  }

  private static io.envoyproxy.envoy.config.route.v3.RetryPolicy retryPolicy(RetryPolicy retries) {
    var policy =
        io.envoyproxy.envoy.config.route.v3.RetryPolicy.newBuilder()
            .setRetryOn(String.join(",", retries.on()))
            .setNumRetries(UInt32Value.of(retries.attempts()));
    if (retries.perTryTimeout() != null) {
      policy.setPerTryTimeout(ProtoDurations.of(retries.perTryTimeout()));
    }
    return policy.build();
  }
}
