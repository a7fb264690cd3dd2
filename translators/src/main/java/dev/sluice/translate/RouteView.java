package dev.sluice.translate;

import dev.sluice.model.ModelRoute;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The part of a group's resources that one route produced, for people and tools to inspect. On a
 * gateway that includes what the route shares with the others and uses: the listener, and the
 * tracing collector's cluster its spans go to.
 */
public final class RouteView {
  private RouteView() {}

  public static XdsResources of(XdsResources all, ModelRoute route, ProxyGroup group) {
    String clusterPrefix = Names.virtualHost(route) + "|";
    Set<String> listenerNames = new HashSet<>();
    route.spec().hosts().forEach(h -> {
      listenerNames.add(Names.apiListener(h));
      listenerNames.add(Names.apiListener(h, route.spec().port()));
    });
    boolean gateway = group.role() == ProxyRole.GATEWAY;
    List<RouteConfiguration> routes = gateway
        ? all.routes().stream().map(rc -> onlyVirtualHostOf(rc, route)).filter(rc -> rc.getVirtualHostsCount() > 0).toList()
        : all.routes().stream().filter(rc -> rc.getName().equals(Names.routeConfiguration(route))).toList();
    return new XdsResources(
        all.listeners().stream().filter(l -> gateway ? !routes.isEmpty() : listenerNames.contains(l.getName())).toList(),
        routes,
        all.clusters().stream().filter(c -> c.getName().startsWith(clusterPrefix)
            || (gateway && !routes.isEmpty() && c.getName().equals(Names.tracingCollectorCluster()))).toList(),
        all.endpoints().stream().filter(e -> e.getClusterName().startsWith(clusterPrefix)).toList());
  }

  private static RouteConfiguration onlyVirtualHostOf(RouteConfiguration config, ModelRoute route) {
    return config.toBuilder()
        .clearVirtualHosts()
        .addAllVirtualHosts(config.getVirtualHostsList().stream()
            .filter(v -> v.getName().equals(Names.virtualHost(route))).toList())
        .build();
  }
}
