package dev.sluice.conformance;

import dev.sluice.controlplane.measure.VersionMeasurements;
import dev.sluice.controlplane.measure.VersionMeasurements.VersionTotals;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * The control plane's per-version measurements ({@link VersionMeasurements}), read from the Spring
 * context of a {@link ControlPlane} started in this JVM.
 */
final class Measurements {
  /** Long enough for a report of each kind to arrive: load reports every second, access-log batches every second. */
  static final Duration SETTLE = Duration.ofMillis(3500);

  private final VersionMeasurements measurements;

  Measurements(ControlPlane cp) {
    this.measurements = cp.bean(VersionMeasurements.class);
  }

  VersionTotals totals(String cluster) {
    return measurements.totals(cluster);
  }

  /**
   * Waits until what arrived since {@code before} satisfies {@code done}, then a little longer, and
   * returns the totals then: a report that would overshoot shows too.
   */
  VersionTotals awaitSince(String cluster, VersionTotals before, Predicate<Delta> done, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    VersionTotals now = totals(cluster);
    while (!done.test(new Delta(before, now)) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      now = totals(cluster);
    }
    Thread.sleep(1500); // one more report period of each kind
    return totals(cluster);
  }

  /** Sleeps until reports of what happened so far have arrived: the start of a clean window. */
  static void settle() throws InterruptedException {
    Thread.sleep(SETTLE.toMillis());
  }

  /** What arrived between two snapshots, per source. */
  record Delta(VersionTotals before, VersionTotals now) {
    long envoyLrsRequests() {
      return now.envoyLrsRequests() - before.envoyLrsRequests();
    }

    long envoyLrsErrors() {
      return now.envoyLrsErrors() - before.envoyLrsErrors();
    }

    long proxylessRequests() {
      return now.proxylessRequests() - before.proxylessRequests();
    }

    long proxylessErrors() {
      return now.proxylessErrors() - before.proxylessErrors();
    }

    long logged() {
      return now.loggedRequests() - before.loggedRequests();
    }

    @Override
    public String toString() {
      return "envoy LRS " + envoyLrsRequests() + " (" + envoyLrsErrors() + " errors), proxyless LRS " + proxylessRequests()
          + " (" + proxylessErrors() + " errors), access logs " + logged();
    }
  }
}
