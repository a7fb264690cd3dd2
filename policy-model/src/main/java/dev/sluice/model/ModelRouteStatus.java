package dev.sluice.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** What the server observed of a route; written by the server only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"observedGeneration", "weights", "conditions", "proxies"})
public record ModelRouteStatus(
    Long observedGeneration, String weights, List<Condition> conditions, ProxyCounts proxies) {

  public ModelRouteStatus {
    conditions = Lists.copyOrNull(conditions);
  }

  /** The status of {@code spec}'s generation, with its weights summed up for people. */
  public static ModelRouteStatus of(Long observedGeneration, ModelRouteSpec spec, List<Condition> conditions,
      ProxyCounts proxies) {
    return new ModelRouteStatus(observedGeneration, weights(spec), conditions, proxies);
  }

  /** {@code v1=90 v2=10}: the weighted split in one short string (kubectl's WEIGHTS column). */
  public static String weights(ModelRouteSpec spec) {
    if (spec == null || spec.versions() == null) {
      return null;
    }
    return spec.versions().stream()
        .filter(java.util.Objects::nonNull)
        .map(v -> v.name() + "=" + v.weight())
        .collect(java.util.stream.Collectors.joining(" "));
  }

  /**
   * Of the connected proxies that receive the route: how many run its current generation, rejected
   * it, or have not acked it yet.
   */
  @JsonPropertyOrder({"acked", "nacked", "pending"})
  public record ProxyCounts(int acked, int nacked, int pending) {}

  /** A Kubernetes-style condition. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"type", "status", "reason", "message"})
  public record Condition(String type, String status, String reason, String message) {}
}
