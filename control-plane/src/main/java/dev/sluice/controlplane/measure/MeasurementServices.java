package dev.sluice.controlplane.measure;

import io.grpc.ServerServiceDefinition;
import java.time.Clock;

/**
 * The measurement services the xDS server adds to its ports: load reporting (LRS) and access logs
 * (ALS), each bound to the gate of the port it serves on, all feeding one {@link VersionMeasurements}.
 */
public final class MeasurementServices {
  private final VersionMeasurements measurements;
  private final MeasureProperties properties;
  private final Clock clock;

  public MeasurementServices(VersionMeasurements measurements, MeasureProperties properties, Clock clock) {
    this.measurements = measurements;
    this.properties = properties;
    this.clock = clock;
  }

  /** Whether the plaintext port takes reports ({@code sluice.measure.plaintext-reports}). */
  public boolean onPlaintextPort() {
    return properties.plaintextReports();
  }

  /** The load reporting service, for streams {@code gate} admits. */
  public ServerServiceDefinition loadReporting(ReporterGate gate) {
    return new LoadReportingServer(measurements, properties.loadReportInterval(), gate, clock).bindService();
  }

  /** The access-log service, for streams {@code gate} admits. */
  public ServerServiceDefinition accessLogs(ReporterGate gate) {
    return new AccessLogServer(measurements, gate, clock).bindService();
  }
}
