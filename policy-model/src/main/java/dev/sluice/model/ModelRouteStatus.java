package dev.sluice.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** What the server observed of a route; written by the server only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"observedGeneration", "weights", "conditions", "proxies", "rollout"})
public record ModelRouteStatus(
    Long observedGeneration, String weights, List<Condition> conditions, ProxyCounts proxies, RolloutStatus rollout) {

  public ModelRouteStatus {
    conditions = Lists.copyOrNull(conditions);
  }

  public ModelRouteStatus(Long observedGeneration, String weights, List<Condition> conditions, ProxyCounts proxies) {
    this(observedGeneration, weights, conditions, proxies, null);
  }

  /** This status with a rollout's progress. */
  public ModelRouteStatus withRollout(RolloutStatus newRollout) {
    return new ModelRouteStatus(observedGeneration, weights, conditions, proxies, newRollout);
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

  /**
   * Where an automated canary stands.
   *
   * @param phase Progressing, Paused, Promoted or RolledBack
   * @param step the step running, 1-based; 0 before the first
   * @param canaryWeight the canary's weight the proxies are given
   * @param weights the whole split the proxies are given, as {@link #weights} spells it
   * @param reason why it is in this phase, one CamelCase word
   * @param message the numbers that decided it, for people
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"phase", "step", "canaryWeight", "weights", "reason", "message"})
  public record RolloutStatus(String phase, Integer step, Integer canaryWeight, String weights, String reason,
      String message) {}
}
