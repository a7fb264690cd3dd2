package dev.sluice.controlplane.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.model.RolloutAnalysis;
import org.junit.jupiter.api.Test;

class AnalysisTest {
  static final RolloutAnalysis DEFAULTS = new RolloutAnalysis(null, null, null, null, null);

  @Test
  void wilsonUpperBound_matchesTheTextbookValues() {
    // 95 of 100 at one-sided 99 %: (p + z²/2n + z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)
    assertThat(Analysis.wilsonUpper(95, 100)).isCloseTo(0.9810, within(0.0005));
    assertThat(Analysis.wilsonUpper(100, 100)).isEqualTo(1.0);
  }

  @Test
  void failsOnlyWhenSurelyBelowTheMinimum() {
    assertThat(Analysis.judge(DEFAULTS, new Numbers(99, 50, null)).outcome()).isEqualTo(Analysis.Outcome.WAIT);
    assertThat(Analysis.judge(DEFAULTS, new Numbers(100, 20, null)).outcome()).isEqualTo(Analysis.Outcome.FAILED);
    assertThat(Analysis.judge(DEFAULTS, new Numbers(100, 2, null)).outcome()).isEqualTo(Analysis.Outcome.UNDECIDED);
    assertThat(Analysis.judge(DEFAULTS, new Numbers(100, 1, null)).outcome()).isEqualTo(Analysis.Outcome.PASSED);
    assertThat(Analysis.judge(DEFAULTS, new Numbers(10_000, 200, null)).outcome()).isEqualTo(Analysis.Outcome.FAILED);
    assertThat(Analysis.judge(DEFAULTS, new Numbers(999, 11, null)).outcome()).isEqualTo(Analysis.Outcome.UNDECIDED);
    assertThat(Analysis.judge(DEFAULTS, new Numbers(1000, 11, null)).outcome())
        .as("at ten times minRequests the rate is taken as it is").isEqualTo(Analysis.Outcome.FAILED);
  }

  @Test
  void latencyAboveTheMaximum_fails() {
    RolloutAnalysis withLatency = new RolloutAnalysis(null, new RolloutAnalysis.LatencyLimit("300ms"), null, null, null);

    assertThat(Analysis.judge(withLatency, new Numbers(100, 0, 250.0)).outcome()).isEqualTo(Analysis.Outcome.PASSED);
    Analysis.Verdict slow = Analysis.judge(withLatency, new Numbers(100, 0, 420.0));
    assertThat(slow.outcome()).isEqualTo(Analysis.Outcome.FAILED);
    assertThat(slow.message()).contains("p99 latency 420.0 ms", "300ms");
    assertThat(Analysis.judge(withLatency, new Numbers(100, 0, null)).outcome())
        .as("no latency measured (gRPC clients report counts only)").isEqualTo(Analysis.Outcome.PASSED);
  }
}
