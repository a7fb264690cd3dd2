package dev.sluice.controlplane.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.model.Rollout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The rollout's rules run against simulated traffic, with every default ({@code spec.rollout:
 * {canary: v2}}): 1,000 rollouts of a canary exactly as healthy as the stable version must almost
 * never roll back, and one failing 20 % of its requests must always roll back, within two intervals.
 * Traffic: 100 requests a second to the route, the canary's share of them by its step's weight;
 * proxies run each step one tick (1 s) after it goes out. Seeded, so the figures are reproducible;
 * they are written to {@code target/rollout-simulation.txt}.
 */
class FalseRollbackSimulationTest {
  static final int ROLLOUTS = 1000;
  static final int ROUTE_RPS = 100;
  static final Rollout DEFAULTS = new Rollout("v2", null, null, null, null, null, null);
  static final Instant T0 = Instant.parse("2026-12-03T12:00:00Z");

  record Outcome(RolloutPhase phase, long seconds) {}

  static Outcome simulate(double failureRate, SplittableRandom random) {
    RolloutState s = RolloutEngine.start(DEFAULTS, "h", 1, T0);
    long requests = 0;
    long failures = 0;
    long stepRequests = 0;
    long stepFailures = 0;
    for (long t = 1; t < 4 * 3600; t++) {
      int perSecond = poisson(ROUTE_RPS * s.canaryWeight() / 100.0, random);
      for (int i = 0; i < perSecond; i++) {
        requests++;
        stepRequests++;
        if (random.nextDouble() < failureRate) {
          failures++;
          stepFailures++;
        }
      }
      RolloutEngine.Result r = RolloutEngine.tick(DEFAULTS, s, new RolloutEngine.Inputs(T0.plusSeconds(t),
          RolloutEngineTest.ALL_RUN, new Numbers(requests, failures, null), new Numbers(stepRequests, stepFailures, null),
          w -> null));
      s = r.state();
      if (r.newWindow()) {
        requests = 0;
        failures = 0;
      }
      if (r.newStepWindow()) {
        stepRequests = 0;
        stepFailures = 0;
      }
      if (s.phase().finished()) {
        return new Outcome(s.phase(), t);
      }
    }
    return new Outcome(s.phase(), -1);
  }

  private static int poisson(double lambda, SplittableRandom random) {
    double l = Math.exp(-lambda);
    int k = 0;
    double p = 1;
    do {
      k++;
      p *= random.nextDouble();
    } while (p > l);
    return k - 1;
  }

  @Test
  void healthyCanaries_rarelyRollBack_andFailingOnesAlwaysDo_withinTwoIntervals() throws IOException {
    StringBuilder report = new StringBuilder("# " + ROLLOUTS + " simulated rollouts per row, spec.rollout defaults"
        + " (steps 5/10/25/50, interval 1m, successRate.min 99, minRequests 100, failureLimit 2), "
        + ROUTE_RPS + " requests/s to the route\n");
    for (double success : new double[] {0.999, 0.995, 0.99}) {
      SplittableRandom random = new SplittableRandom(17);
      int rolledBack = 0;
      long promotedSeconds = 0;
      for (int i = 0; i < ROLLOUTS; i++) {
        Outcome o = simulate(1 - success, random);
        if (o.phase() == RolloutPhase.RolledBack) {
          rolledBack++;
        } else {
          assertThat(o.phase()).as("%s", o).isEqualTo(RolloutPhase.Promoted);
          promotedSeconds += o.seconds();
        }
      }
      double rate = 100.0 * rolledBack / ROLLOUTS;
      report.append(String.format(Locale.ROOT, "healthy canary, true success rate %.1f %% (same as stable): %d of %d"
              + " rolled back wrongly (%.1f %%); the others promoted after %.0f s on average%n", 100 * success,
          rolledBack, ROLLOUTS, rate, (double) promotedSeconds / Math.max(1, ROLLOUTS - rolledBack)));
      if (success > 0.99) {
        assertThat(rate).as("false rollbacks at %s", success).isLessThan(1.0);
      }
    }
    SplittableRandom slight = new SplittableRandom(29);
    int promotedBad = 0;
    for (int i = 0; i < ROLLOUTS; i++) {
      if (simulate(0.02, slight).phase() == RolloutPhase.Promoted) {
        promotedBad++;
      }
    }
    report.append(String.format(Locale.ROOT, "canary failing 2 %% of requests (success 98 %%, under the minimum 99 %%):"
        + " %d of %d promoted wrongly (%.1f %%)%n", promotedBad, ROLLOUTS, 100.0 * promotedBad / ROLLOUTS));
    SplittableRandom random = new SplittableRandom(23);
    long worst = 0;
    long total = 0;
    for (int i = 0; i < ROLLOUTS; i++) {
      Outcome o = simulate(0.20, random);
      assertThat(o.phase()).isEqualTo(RolloutPhase.RolledBack);
      worst = Math.max(worst, o.seconds());
      total += o.seconds();
    }
    report.append(String.format(Locale.ROOT, "canary failing 20 %% of requests: %d of %d rolled back, %.1f s after its"
        + " first step went out on average, %d s at worst (interval 60 s)%n", ROLLOUTS, ROLLOUTS,
        (double) total / ROLLOUTS, worst));
    assertThat(Duration.ofSeconds(worst)).isLessThanOrEqualTo(DEFAULTS.effectiveInterval().multipliedBy(2));
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/rollout-simulation.txt"), report);
    System.out.print(report);
  }
}
