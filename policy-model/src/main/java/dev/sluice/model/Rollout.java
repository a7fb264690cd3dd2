package dev.sluice.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An automated canary: the control plane moves {@code canary}'s share of the weighted split through
 * {@code steps}, holds each step for {@code interval} once every proxy runs it, judges the canary on
 * the data plane's own numbers, and promotes it or rolls back to the stable weights.
 *
 * @param canary the version being rolled out; one of {@code spec.versions}, and not the only one. The
 *     other versions keep the ratio of their {@code weight}s between them (the stable split; equal
 *     shares when none has weight) and share what the canary does not take
 * @param steps the canary's weight at each step, strictly increasing, 1..100; default
 *     {@code [5, 10, 25, 50]}. When the last step passes the canary is promoted to 100
 * @param stepWeight instead of {@code steps}: steps of this size, up to {@code maxWeight}
 * @param maxWeight with {@code stepWeight}: the last step's weight, 1..100 (default 50)
 * @param interval how long each step runs once every proxy acked it; at least 1s, default 1m
 * @param analysis what a healthy canary is
 * @param webhooks HTTP calls before each step and on rollback
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"canary", "steps", "stepWeight", "maxWeight", "interval", "analysis", "webhooks"})
public record Rollout(
    @Required String canary,
    List<Integer> steps,
    Integer stepWeight,
    Integer maxWeight,
    String interval,
    RolloutAnalysis analysis,
    List<RolloutWebhook> webhooks) {

  public static final List<Integer> DEFAULT_STEPS = List.of(5, 10, 25, 50);
  public static final int DEFAULT_MAX_WEIGHT = 50;
  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);

  public Rollout {
    steps = Lists.copyOrNull(steps);
    webhooks = Lists.copyOrNull(webhooks);
  }

  /** The canary's weight at each step: {@code steps}, or {@code stepWeight} up to {@code maxWeight}, or the default. */
  @JsonIgnore
  public List<Integer> effectiveSteps() {
    if (steps != null) {
      return steps;
    }
    if (stepWeight == null || stepWeight <= 0) {
      return DEFAULT_STEPS;
    }
    int max = maxWeight == null ? DEFAULT_MAX_WEIGHT : maxWeight;
    List<Integer> out = new ArrayList<>();
    for (int w = stepWeight; w < max; w += stepWeight) {
      out.add(w);
    }
    out.add(max);
    return List.copyOf(out);
  }

  /** How long a step runs once acked; one minute when not given. */
  @JsonIgnore
  public Duration effectiveInterval() {
    return interval == null ? DEFAULT_INTERVAL : Durations.parse(interval).orElse(DEFAULT_INTERVAL);
  }

  /** The analysis, with every default filled in. */
  @JsonIgnore
  public RolloutAnalysis effectiveAnalysis() {
    return (analysis == null ? new RolloutAnalysis(null, null, null, null, null) : analysis).withDefaults();
  }

  /** The webhooks, empty when none. */
  @JsonIgnore
  public List<RolloutWebhook> effectiveWebhooks() {
    return webhooks == null ? List.of() : webhooks;
  }
}
