package dev.sluice.controlplane.rollout;

/**
 * What one version served during a window: requests, those that failed, and the 99th percentile of
 * their latency (null when no latency was measured).
 */
public record Numbers(long requests, long failures, Double p99Millis) {
  public static final Numbers NONE = new Numbers(0, 0, null);

  /** Per cent of requests that did not fail; null without requests. */
  public Double successRate() {
    return requests == 0 ? null : 100.0 * (requests - failures) / requests;
  }

  @Override
  public String toString() {
    Double rate = successRate();
    return requests + " requests, " + failures + " failed"
        + (rate == null ? "" : String.format(java.util.Locale.ROOT, " (success rate %.2f %%)", rate))
        + (p99Millis == null ? "" : String.format(java.util.Locale.ROOT, ", p99 %.1f ms", p99Millis));
  }
}
