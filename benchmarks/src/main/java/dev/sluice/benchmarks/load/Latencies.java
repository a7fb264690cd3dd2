package dev.sluice.benchmarks.load;

import java.util.Arrays;

/**
 * Per-proxy latencies of one change, in milliseconds: nearest-rank percentiles.
 *
 * @param count proxies measured
 */
record Latencies(int count, double p50, double p90, double p99, double max) {

  static Latencies ofNanos(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return new Latencies(sorted.length, rank(sorted, 0.50), rank(sorted, 0.90), rank(sorted, 0.99),
        sorted[sorted.length - 1] / 1e6);
  }

  private static double rank(long[] sorted, double q) {
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }

  /** The same latencies less a constant (the debounce) in milliseconds. */
  Latencies minus(double ms) {
    return new Latencies(count, p50 - ms, p90 - ms, p99 - ms, max - ms);
  }
}
