package dev.sluice.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One version of a model: one Envoy cluster.
 *
 * @param name a DNS-1123 label, unique within the route
 * @param weight share of the weighted split, 0..100; the weights of a route sum to 100
 * @param endpoints the servers of this version as {@code ip:port}
 * @param serviceAccount the identity this version's servers present under mTLS (a DNS-1123
 *     subdomain); the route's name when omitted
 * @param selector Kubernetes mode: the labels of this version's pods, among the endpoints of the
 *     Service named by {@code service} (or the route's {@code spec.service})
 * @param service Kubernetes mode: the Service whose EndpointSlices list this version's servers
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "weight", "endpoints", "selector", "service", "serviceAccount"})
public record ModelVersion(
    @Required String name, @Required Integer weight, List<String> endpoints, String serviceAccount,
    Map<String, String> selector, String service) {

  public ModelVersion {
    endpoints = Lists.copyOrNull(endpoints);
    selector = selector == null ? null : Collections.unmodifiableMap(new TreeMap<>(selector));
  }

  /** A version whose servers run as the route's default service account. */
  public ModelVersion(String name, Integer weight, List<String> endpoints) {
    this(name, weight, endpoints, null);
  }

  /** A version with explicit endpoints. */
  public ModelVersion(String name, Integer weight, List<String> endpoints, String serviceAccount) {
    this(name, weight, endpoints, serviceAccount, null, null);
  }

  /** Whether the servers come from Kubernetes EndpointSlices rather than explicit endpoints. */
  public boolean fromKubernetes() {
    return selector != null || service != null;
  }

  /** The service account this version's servers run as: the given one, else {@code routeName}. */
  public String effectiveServiceAccount(String routeName) {
    return serviceAccount == null ? routeName : serviceAccount;
  }

  public ModelVersion withWeight(Integer newWeight) {
    return new ModelVersion(name, newWeight, endpoints, serviceAccount, selector, service);
  }
}
