package dev.sluice.controlplane.rollout;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelVersion;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A rollout as {@code GET .../modelroutes/{name}/rollout} shows it: the stored progress, the split
 * proxies are given, each version's numbers in the running analysis window, the history and
 * per-version numbers over time.
 */
@JsonPropertyOrder({"route", "generation", "canary", "phase", "step", "steps", "canaryWeight", "weights",
    "stepStartedAt", "interval", "failedChecks", "reason", "message", "versions", "history", "samples"})
public record RolloutView(
    String route, long generation, String canary, RolloutPhase phase, int step, List<Integer> steps, int canaryWeight,
    Map<String, Integer> weights, Instant stepStartedAt, String interval, int failedChecks, String reason,
    String message, Map<String, VersionNumbers> versions, List<RolloutEvent> history, List<SampleView> samples) {

  /** One version's numbers; rates in per cent, null without requests or latency samples. */
  @JsonPropertyOrder({"requests", "failures", "successRate", "p99Millis"})
  public record VersionNumbers(long requests, long failures, Double successRate, Double p99Millis) {
    static VersionNumbers of(Numbers n) {
      return new VersionNumbers(n.requests(), n.failures(), n.successRate(), n.p99Millis());
    }
  }

  /** Each version's numbers over one sample period ending {@code at}. */
  public record Sample(Instant at, Map<String, Numbers> versions) {}

  /** The JSON form of a sample. */
  public record SampleView(Instant at, Map<String, VersionNumbers> versions) {}

  static RolloutView of(ModelRoute route, RolloutState state, Map<String, Numbers> window, List<Sample> samples) {
    ModelRoute effective = RolloutWeights.apply(route, state.canaryWeight());
    Map<String, Integer> weights = new LinkedHashMap<>();
    for (ModelVersion v : effective.spec().versions()) {
      weights.put(v.name(), v.weight());
    }
    Map<String, VersionNumbers> versions = new LinkedHashMap<>();
    window.forEach((version, n) -> versions.put(version, VersionNumbers.of(n)));
    return new RolloutView(route.key(), route.metadata().generation(), route.spec().rollout().canary(), state.phase(),
        state.step(), route.spec().rollout().effectiveSteps(), state.canaryWeight(), weights, state.stepStartedAt(),
        route.spec().rollout().interval() == null ? "1m" : route.spec().rollout().interval(), state.failedChecks(),
        state.reason(), state.message(), versions, state.history(), samples.stream().map(RolloutView::view).toList());
  }

  private static SampleView view(Sample sample) {
    Map<String, VersionNumbers> versions = new LinkedHashMap<>();
    sample.versions().forEach((version, n) -> versions.put(version, VersionNumbers.of(n)));
    return new SampleView(sample.at(), versions);
  }
}
