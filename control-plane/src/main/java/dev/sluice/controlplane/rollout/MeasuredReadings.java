package dev.sluice.controlplane.rollout;

import dev.sluice.controlplane.measure.VersionMeasurements;
import dev.sluice.model.RolloutAnalysis;

/** The data plane's reports ({@link VersionMeasurements}: LRS and access logs) as rollout readings. */
final class MeasuredReadings implements DataPlaneReadings {
  private final VersionMeasurements measurements;

  MeasuredReadings(VersionMeasurements measurements) {
    this.measurements = measurements;
  }

  @Override
  public Reading read(String cluster) {
    return new Totals(measurements.totals(cluster));
  }

  private record Totals(VersionMeasurements.VersionTotals totals) implements Reading {
    @Override
    public Numbers since(Reading earlier, RolloutAnalysis.FailureCodes failures) {
      VersionMeasurements.VersionTotals base = earlier instanceof Totals t ? t.totals() : null;
      VersionMeasurements.Window w = totals.since(base, FailureClassification.of(failures));
      return new Numbers(w.requests(), w.failures(), w.p99Millis());
    }
  }
}
