package dev.sluice.translate;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.List;
import java.util.Set;

/**
 * What one ModelRoute contributes to a proxy group, before it joins the others: checked on its
 * own, so one route's broken output never takes another route down.
 *
 * @param clusters one per version
 * @param endpoints one ClusterLoadAssignment per cluster
 * @param listeners the route's own listeners (proxyless API listeners); gateways share theirs
 * @param routeConfigurations the route's own RouteConfiguration (proxyless); empty for gateways
 * @param virtualHost the route's virtual host; for gateways it joins the shared RouteConfiguration
 * @param discoveredClusters the clusters whose endpoints come from an {@link EndpointSource}
 *     (Kubernetes): they may have none for a while, as a Deployment scaled to zero does
 */
public record RouteOutput(
    List<Cluster> clusters,
    List<ClusterLoadAssignment> endpoints,
    List<Listener> listeners,
    List<RouteConfiguration> routeConfigurations,
    VirtualHost virtualHost,
    Set<String> discoveredClusters) {

  public RouteOutput {
    clusters = List.copyOf(clusters);
    endpoints = List.copyOf(endpoints);
    listeners = List.copyOf(listeners);
    routeConfigurations = List.copyOf(routeConfigurations);
    discoveredClusters = Set.copyOf(discoveredClusters);
  }

  /** Output whose every cluster lists its endpoints. */
  public RouteOutput(List<Cluster> clusters, List<ClusterLoadAssignment> endpoints, List<Listener> listeners,
      List<RouteConfiguration> routeConfigurations, VirtualHost virtualHost) {
    this(clusters, endpoints, listeners, routeConfigurations, virtualHost, Set.of());
  }

  /** The same output with other endpoints. */
  public RouteOutput withEndpoints(List<ClusterLoadAssignment> newEndpoints) {
    return new RouteOutput(clusters, newEndpoints, listeners, routeConfigurations, virtualHost, discoveredClusters);
  }
}
