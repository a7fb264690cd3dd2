package dev.sluice.controlplane.rollout;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rollouts as Prometheus gauges, one row per route in rollout: {@code sluice_rollout_canary_weight},
 * {@code sluice_rollout_step}, {@code sluice_rollout_failed_checks} and {@code sluice_rollout_phase}
 * (1 for the phase the rollout is in, 0 for the others). The per-version request, error and latency
 * figures are {@code sluice_version_*}.
 */
final class RolloutMetrics {
  private final MultiGauge weight;
  private final MultiGauge step;
  private final MultiGauge failedChecks;
  private final MultiGauge phase;

  RolloutMetrics(MeterRegistry registry) {
    weight = MultiGauge.builder("sluice.rollout.canary.weight")
        .description("The canary's weight the proxies are given, per cent").register(registry);
    step = MultiGauge.builder("sluice.rollout.step").description("The rollout's running step, 1-based").register(registry);
    failedChecks = MultiGauge.builder("sluice.rollout.failed.checks")
        .description("Consecutive failed checks of the canary").register(registry);
    phase = MultiGauge.builder("sluice.rollout.phase")
        .description("1 for the phase the rollout is in, 0 for the others").register(registry);
  }

  void update(Map<String, RolloutState> states) {
    List<MultiGauge.Row<?>> weights = new ArrayList<>();
    List<MultiGauge.Row<?>> steps = new ArrayList<>();
    List<MultiGauge.Row<?>> failed = new ArrayList<>();
    List<MultiGauge.Row<?>> phases = new ArrayList<>();
    states.forEach((key, s) -> {
      int slash = key.indexOf('/');
      Tags tags = Tags.of("namespace", key.substring(0, slash), "route", key.substring(slash + 1));
      weights.add(MultiGauge.Row.of(tags, s.canaryWeight()));
      steps.add(MultiGauge.Row.of(tags, s.step()));
      failed.add(MultiGauge.Row.of(tags, s.failedChecks()));
      for (RolloutPhase p : RolloutPhase.values()) {
        phases.add(MultiGauge.Row.of(tags.and("phase", p.name()), p == s.phase() ? 1 : 0));
      }
    });
    weight.register(weights, true);
    step.register(steps, true);
    failedChecks.register(failed, true);
    phase.register(phases, true);
  }
}
