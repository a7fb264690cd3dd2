package dev.sluice.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One version of a model: one Envoy cluster.
 *
 * @param name a DNS-1123 label, unique within the route
 * @param weight share of the weighted split, 0..100; the weights of a route sum to 100
 * @param endpoints the servers of this version as {@code ip:port}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "weight", "endpoints"})
public record ModelVersion(String name, Integer weight, List<String> endpoints) {

  public ModelVersion {
    endpoints = Lists.copyOrNull(endpoints);
  }

  public ModelVersion withWeight(Integer newWeight) {
    return new ModelVersion(name, newWeight, endpoints);
  }
}
