package dev.sluice.model;

/** Validation of what a route asks of tracing. */
final class ObservabilityChecks {
  private ObservabilityChecks() {}

  static void tracing(Tracing tracing, Checks checks) {
    if (tracing == null) {
      return;
    }
    checks.percent("spec.tracing.samplingPercent", tracing.samplingPercent(), true);
  }
}
