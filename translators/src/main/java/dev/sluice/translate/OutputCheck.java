package dev.sluice.translate;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.sluice.model.FieldError;
import dev.sluice.translate.check.ProtoRules;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks one route's Envoy output before any proxy sees it: Envoy's own protoc-gen-validate rules
 * on every resource, and references (every cluster a route names exists, every cluster has
 * endpoints, every listener's route configuration exists, every per-filter override names a filter
 * of the chain, every SDS secret a cluster asks for is one Sluice serves). Errors name the resource and the field, such as
 * {@code envoy.cluster[ml|scorer|v1].outlier_detection.max_ejection_percent}.
 */
final class OutputCheck {
  private static final Set<String> FILTERS =
      HttpFilters.ordered().stream().map(HttpFilter::getName).collect(Collectors.toUnmodifiableSet());
  /** The SDS secrets the control plane serves; a cluster asking for another would wait forever. */
  private static final Set<String> SECRETS = Set.of(Names.DEFAULT_SECRET, Names.ROOT_CA_SECRET);

  private OutputCheck() {}

  static List<FieldError> check(RouteOutput out) {
    List<FieldError> errors = new ArrayList<>();
    out.clusters().forEach(c -> rules("cluster", c.getName(), c, errors));
    out.endpoints().forEach(e -> rules("endpoints", e.getClusterName(), e, errors));
    out.listeners().forEach(l -> rules("listener", l.getName(), l, errors));
    out.routeConfigurations().forEach(r -> rules("route_configuration", r.getName(), r, errors));
    rules("virtual_host", out.virtualHost().getName(), out.virtualHost(), errors);
    references(out, errors);
    return errors;
  }

  private static void rules(String type, String name, Message resource, List<FieldError> errors) {
    ProtoRules.check(resource, EnvoyJson.PACKED).forEach(v -> errors.add(new FieldError(
        "envoy." + type + "[" + name + "]." + v.path(), v.rule() + " (Envoy would reject it)")));
  }

  private static void references(RouteOutput out, List<FieldError> errors) {
    Set<String> clusters = out.clusters().stream().map(Cluster::getName).collect(Collectors.toSet());
    Map<String, ClusterLoadAssignment> endpoints = new HashMap<>();
    out.endpoints().forEach(e -> endpoints.put(e.getClusterName(), e));
    VirtualHost host = out.virtualHost();
    for (Route route : host.getRoutesList()) {
      for (String cluster : clustersNamedBy(route)) {
        if (!clusters.contains(cluster)) {
          errors.add(new FieldError("envoy.virtual_host[" + host.getName() + "].routes[" + route.getName() + "]",
              "names cluster " + cluster + ", which this route does not define"));
        }
      }
    }
    for (Cluster cluster : out.clusters()) {
      String service = cluster.getEdsClusterConfig().getServiceName().isEmpty()
          ? cluster.getName() : cluster.getEdsClusterConfig().getServiceName();
      ClusterLoadAssignment assignment = endpoints.get(service);
      boolean hasEndpoints = assignment != null
          && (out.discoveredClusters().contains(cluster.getName())
              || assignment.getEndpointsList().stream().anyMatch(l -> l.getLbEndpointsCount() > 0));
      if (!hasEndpoints) {
        errors.add(new FieldError("envoy.cluster[" + cluster.getName() + "]", "has no endpoints"));
      }
      sdsSecretNames(cluster).stream().filter(s -> !SECRETS.contains(s)).forEach(s -> errors.add(new FieldError(
          "envoy.cluster[" + cluster.getName() + "].transport_socket",
          "asks for SDS secret '" + s + "'; the control plane serves only " + SECRETS.stream().sorted().toList())));
    }
    host.getTypedPerFilterConfigMap().keySet().stream().filter(f -> !FILTERS.contains(f)).forEach(f -> errors.add(
        new FieldError("envoy.virtual_host[" + host.getName() + "].typed_per_filter_config[" + f + "]",
            "configures a filter that is not in the chain " + FILTERS)));
    Set<String> routeConfigs = out.routeConfigurations().stream().map(RouteConfiguration::getName).collect(Collectors.toSet());
    for (Listener listener : out.listeners()) {
      String rds = rdsName(listener);
      if (rds != null && !routeConfigs.contains(rds)) {
        errors.add(new FieldError("envoy.listener[" + listener.getName() + "]",
            "takes route configuration " + rds + ", which this route does not define"));
      }
    }
  }

  static Set<String> clustersNamedBy(Route route) {
    Set<String> names = new LinkedHashSet<>();
    var action = route.getRoute();
    if (!action.getCluster().isEmpty()) {
      names.add(action.getCluster());
    }
    action.getWeightedClusters().getClustersList().forEach(c -> names.add(c.getName()));
    action.getRequestMirrorPoliciesList().forEach(m -> names.add(m.getCluster()));
    return names;
  }

  /** The SDS secrets a cluster's upstream TLS context names, in order; empty without one. */
  static List<String> sdsSecretNames(Cluster cluster) {
    UpstreamTlsContext tls = cluster.hasTransportSocket()
        ? unpack(cluster.getTransportSocket().getTypedConfig(), UpstreamTlsContext.getDefaultInstance()) : null;
    if (tls == null) {
      return List.of();
    }
    CommonTlsContext common = tls.getCommonTlsContext();
    List<String> names = new ArrayList<>();
    common.getTlsCertificateSdsSecretConfigsList().forEach(c -> names.add(c.getName()));
    List<SdsSecretConfig> validation = new ArrayList<>();
    if (common.hasValidationContextSdsSecretConfig()) {
      validation.add(common.getValidationContextSdsSecretConfig());
    }
    if (common.hasCombinedValidationContext()) {
      validation.add(common.getCombinedValidationContext().getValidationContextSdsSecretConfig());
    }
    validation.forEach(c -> names.add(c.getName()));
    return names;
  }

  private static String rdsName(Listener listener) {
    if (!listener.hasApiListener()) {
      return null;
    }
    HttpConnectionManager hcm = unpack(listener.getApiListener().getApiListener(), HttpConnectionManager.getDefaultInstance());
    return hcm == null ? null : hcm.getRds().getRouteConfigName();
  }

  /**
   * The payload when {@code any} holds {@code type}, else null: {@code Any.is} and {@code unpack}
   * without their reflective lookup of the class's default instance ({@code Class.getMethod}),
   * which showed in profiles, once per resource.
   */
  @SuppressWarnings("unchecked")
  private static <M extends Message> M unpack(Any any, M type) {
    String url = any.getTypeUrl();
    int slash = url.lastIndexOf('/');
    if (slash < 0 || !url.substring(slash + 1).equals(type.getDescriptorForType().getFullName())) {
      return null;
    }
    try {
      return (M) type.getParserForType().parseFrom(any.getValue());
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }
}
