package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks a count against a binomial bound instead of an exact number. */
final class Binomial {
  /**
   * Two-sided 1 - 10^-5. A CI run makes about twenty such checks, so at 99.9 % a correct build
   * failed about one run in fifty; at this bound it is one in five thousand, while a split that is
   * off by a whole version (0/100 for 90/10, or 50/50) still lies far outside it at these sizes.
   */
  static final double Z = 4.417;

  private Binomial() {}

  static void assertWithin(String what, long count, long trials, double p) {
    double mean = trials * p;
    double sd = Math.sqrt(trials * p * (1 - p));
    assertThat((double) count)
        .as("%s: %d of %d, expected %.0f +- %.1f (1 - 1e-5 binomial bound)", what, count, trials, mean, Z * sd)
        .isBetween(mean - Z * sd, mean + Z * sd);
  }
}
