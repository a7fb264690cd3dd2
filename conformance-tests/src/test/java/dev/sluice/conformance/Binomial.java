package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks a count against a binomial bound instead of an exact number. */
final class Binomial {
  /** Two-sided 99.9 %: a correct split fails about once in a thousand runs. */
  static final double Z_999 = 3.291;

  private Binomial() {}

  static void assertWithin999(String what, long count, long trials, double p) {
    double mean = trials * p;
    double sd = Math.sqrt(trials * p * (1 - p));
    assertThat((double) count)
        .as("%s: %d of %d, expected %.0f +- %.1f (99.9 %% binomial bound)", what, count, trials, mean, Z_999 * sd)
        .isBetween(mean - Z_999 * sd, mean + Z_999 * sd);
  }
}
