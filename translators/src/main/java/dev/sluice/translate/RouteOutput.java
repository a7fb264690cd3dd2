package dev.sluice.translate;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.List;

/**
 * What one ModelRoute contributes to a proxy group, before it joins the others: checked on its
 * own, so one route's broken output never takes another route down.
 *
 * @param clusters one per version
 * @param endpoints one ClusterLoadAssignment per cluster
 * @param listeners the route's own listeners (proxyless API listeners); gateways share theirs
 * @param routeConfigurations the route's own RouteConfiguration (proxyless); empty for gateways
 * @param virtualHost the route's virtual host; for gateways it joins the shared RouteConfiguration
 */
public record RouteOutput(
    List<Cluster> clusters,
    List<ClusterLoadAssignment> endpoints,
    List<Listener> listeners,
    List<RouteConfiguration> routeConfigurations,
    VirtualHost virtualHost) {

  public RouteOutput {
    clusters = List.copyOf(clusters);
    endpoints = List.copyOf(endpoints);
    listeners = List.copyOf(listeners);
    routeConfigurations = List.copyOf(routeConfigurations);
  }
}
