package dev.sluice.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One A/B or feature-flag rule: requests that match go to one version, or to the rule's own
 * weights. Rules are tried in order; the first match wins; unmatched requests take the route's
 * weighted split.
 *
 * @param name a DNS-1123 label, unique within the route (it names the Envoy route)
 * @param match what a request must carry; every listed condition must hold
 * @param version the version matching requests go to; or
 * @param weights version name to weight, summing to 100 (in the order written)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "match", "version", "weights"})
public record TrafficRule(@Required String name, @Required RuleMatch match, String version, Map<String, Integer> weights) {

  public TrafficRule {
    weights = weights == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(weights));
  }
}
