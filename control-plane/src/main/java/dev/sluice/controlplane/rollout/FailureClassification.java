package dev.sluice.controlplane.rollout;

import dev.sluice.controlplane.measure.VersionMeasurements;
import dev.sluice.model.RolloutAnalysis;
import io.grpc.Status;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A rollout's {@code analysis.failures} as a test of one logged request: its HTTP status in one of
 * the listed classes ({@code 5xx}) or codes ({@code 429}), or its gRPC status one of the listed names.
 */
final class FailureClassification implements VersionMeasurements.FailurePolicy {
  private final Set<Integer> httpClasses = new HashSet<>();
  private final Set<Integer> httpCodes = new HashSet<>();
  private final Set<Integer> grpcCodes = new HashSet<>();

  private FailureClassification(List<String> http, List<String> grpc) {
    for (String h : http) {
      if (h.endsWith("xx")) {
        httpClasses.add(h.charAt(0) - '0');
      } else {
        httpCodes.add(Integer.parseInt(h));
      }
    }
    for (String g : grpc) {
      grpcCodes.add(Status.Code.valueOf(g).value());
    }
  }

  static FailureClassification of(RolloutAnalysis.FailureCodes codes) {
    return new FailureClassification(
        codes.httpStatuses() == null ? RolloutAnalysis.FailureCodes.DEFAULT_HTTP : codes.httpStatuses(),
        codes.grpcStatuses() == null ? RolloutAnalysis.FailureCodes.DEFAULT_GRPC : codes.grpcStatuses());
  }

  @Override
  public boolean failed(VersionMeasurements.Outcome outcome) {
    int http = outcome.httpStatus();
    return httpClasses.contains(http / 100) || httpCodes.contains(http) || grpcCodes.contains(outcome.grpcStatus());
  }
}
