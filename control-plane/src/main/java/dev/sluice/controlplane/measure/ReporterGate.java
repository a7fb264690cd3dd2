package dev.sluice.controlplane.measure;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.Status;

/**
 * Who may report measurements on a port. The xDS server gives each port its own: anyone on the
 * plaintext port; on the TLS port, a proxy that proved its identity as it does for ADS (see the
 * xDS package's {@code MeasurementGates}).
 *
 * <p>Asked on the stream's own thread, inside its gRPC {@code Context}, with the node of the
 * stream's first message; then again about every {@link ReportingStream#RECHECK_MILLIS} while the
 * stream sends, so that a stream whose grounds went away stops counting.
 */
@FunctionalInterface
public interface ReporterGate {
  /** Admits every stream. */
  ReporterGate ANYONE = node -> null;

  /** Null to admit the stream; else the status it ends with (UNAUTHENTICATED, PERMISSION_DENIED). */
  Status check(Node node);
}
