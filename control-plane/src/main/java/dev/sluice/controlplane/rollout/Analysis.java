package dev.sluice.controlplane.rollout;

import dev.sluice.model.Durations;
import dev.sluice.model.RolloutAnalysis;
import java.util.Locale;

/**
 * One check of a canary's window of requests. Chance must not roll back a healthy canary, so a
 * check fails only when the canary's success rate is <em>surely</em> below the minimum: when even
 * the upper end of its one-sided 99 % Wilson score interval is below it. A window with fewer than
 * {@code minRequests} requests is never judged; one whose rate is below the minimum but not surely
 * so keeps growing until it is decided either way, or until it holds {@link #UNDECIDED_LIMIT} times
 * {@code minRequests}, when its rate is taken as it is (a canary that stays at the minimum must not
 * hold the rollout forever).
 *
 * <p>Pure: numbers in, verdict out.
 */
final class Analysis {
  /** The one-sided 99 % quantile of the standard normal distribution. */
  static final double Z = 2.3263478740408408;
  static final int UNDECIDED_LIMIT = 10;

  private Analysis() {}

  enum Outcome {
    /** Fewer than {@code minRequests} requests: wait for more. */
    WAIT,
    /** Below the minimum, but not surely: keep the window and wait for more. */
    UNDECIDED,
    PASSED,
    FAILED
  }

  record Verdict(Outcome outcome, String message) {}

  static Verdict judge(RolloutAnalysis analysis, Numbers canary) {
    RolloutAnalysis a = analysis.withDefaults();
    if (canary.requests() < a.minRequests()) {
      return new Verdict(Outcome.WAIT, canary.requests() + " of the " + a.minRequests() + " requests a check needs");
    }
    double min = a.successRate().min() / 100.0;
    long n = canary.requests();
    double successes = n - canary.failures();
    double upper = wilsonUpper(successes, n);
    if (upper < min) {
      return new Verdict(Outcome.FAILED, String.format(Locale.ROOT,
          "canary success rate %.2f %% over %d requests (%d failed) is below the minimum %s %% (99 %% confidence: at most %.2f %%)",
          100 * successes / n, n, canary.failures(), trim(a.successRate().min()), 100 * upper));
    }
    if (a.latency() != null && canary.p99Millis() != null) {
      double max = Durations.require(a.latency().p99Max()).toNanos() / 1e6;
      if (canary.p99Millis() > max) {
        return new Verdict(Outcome.FAILED, String.format(Locale.ROOT,
            "canary p99 latency %.1f ms over %d requests is above the maximum %s", canary.p99Millis(), n,
            a.latency().p99Max()));
      }
    }
    if (successes / n < min && n >= (long) UNDECIDED_LIMIT * a.minRequests()) {
      return new Verdict(Outcome.FAILED, String.format(Locale.ROOT,
          "canary success rate %.2f %% over %d requests (%d failed) is below the minimum %s %%",
          100 * successes / n, n, canary.failures(), trim(a.successRate().min())));
    }
    if (successes / n < min) {
      return new Verdict(Outcome.UNDECIDED, String.format(Locale.ROOT,
          "canary success rate %.2f %% over %d requests is below %s %%, but not surely: waiting for more requests",
          100 * successes / n, n, trim(a.successRate().min())));
    }
    return new Verdict(Outcome.PASSED, canary.toString());
  }

  /** The upper end of the one-sided 99 % Wilson score interval of a proportion. */
  static double wilsonUpper(double successes, long n) {
    double p = successes / n;
    double z2 = Z * Z;
    double centre = p + z2 / (2.0 * n);
    double spread = Z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
    return Math.min(1.0, (centre + spread) / (1 + z2 / n));
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }
}
