package dev.sluice.translate;

import com.google.protobuf.UInt32Value;
import dev.sluice.model.CircuitBreaker;
import dev.sluice.model.ModelRouteSpec;
import dev.sluice.model.OutlierDetection;
import dev.sluice.model.RetryPolicy;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.core.v3.RoutingPriority;
import io.envoyproxy.envoy.type.v3.Percent;
import java.util.Optional;

/**
 * What a ModelRoute asks of every version's cluster: circuit-breaker limits, the retry budget (a
 * circuit-breaker threshold in Envoy) and outlier ejection.
 */
final class ClusterPolicies {
  private ClusterPolicies() {}

  /** The DEFAULT-priority thresholds, when the route sets limits or a retry budget. */
  static Optional<CircuitBreakers> circuitBreakers(ModelRouteSpec spec) {
    CircuitBreaker limits = spec.circuitBreaker();
    RetryPolicy.Budget budget = spec.retries() == null ? null : spec.retries().budget();
    if (limits == null && budget == null) {
      return Optional.empty();
    }
    CircuitBreakers.Thresholds.Builder thresholds =
        CircuitBreakers.Thresholds.newBuilder().setPriority(RoutingPriority.DEFAULT);
    if (limits != null) {
      if (limits.maxConnections() != null) {
        thresholds.setMaxConnections(UInt32Value.of(limits.maxConnections()));
      }
      if (limits.maxPendingRequests() != null) {
        thresholds.setMaxPendingRequests(UInt32Value.of(limits.maxPendingRequests()));
      }
      if (limits.maxRequests() != null) {
        thresholds.setMaxRequests(UInt32Value.of(limits.maxRequests()));
      }
    }
    if (budget != null) {
      // With a budget Envoy ignores max_retries: retries in flight stay under the percent of
      // active requests, with min_retry_concurrency always allowed.
      var retryBudget = CircuitBreakers.Thresholds.RetryBudget.newBuilder()
          .setBudgetPercent(Percent.newBuilder().setValue(budget.percent()));
      if (budget.minConcurrency() != null) {
        retryBudget.setMinRetryConcurrency(UInt32Value.of(budget.minConcurrency()));
      }
      thresholds.setRetryBudget(retryBudget);
    }
    return Optional.of(CircuitBreakers.newBuilder().addThresholds(thresholds).build());
  }

  static Optional<io.envoyproxy.envoy.config.cluster.v3.OutlierDetection> outlierDetection(ModelRouteSpec spec) {
    OutlierDetection od = spec.outlierDetection();
    if (od == null) {
      return Optional.empty();
    }
    // Success-rate ejection is not in the model, but an unset enforcing_success_rate means 100 %
    // to Envoy, grpc-java, grpc-go and grpc-js (gRFC A50) and "off" to C-core: set to 0, every
    // client ejects by the model's checks alone.
    var out = io.envoyproxy.envoy.config.cluster.v3.OutlierDetection.newBuilder()
        .setEnforcingSuccessRate(UInt32Value.of(0));
    if (od.consecutive5xx() != null) {
      out.setConsecutive5Xx(UInt32Value.of(od.consecutive5xx()));
    }
    if (od.failurePercent() != null) {
      // Envoy and gRPC both default enforcement of this check to 0 %: set, it must also enforce.
      out.setFailurePercentageThreshold(UInt32Value.of(od.failurePercent()))
          .setEnforcingFailurePercentage(UInt32Value.of(100));
      if (od.minRequests() != null) {
        out.setFailurePercentageRequestVolume(UInt32Value.of(od.minRequests()));
      }
      if (od.minHosts() != null) {
        out.setFailurePercentageMinimumHosts(UInt32Value.of(od.minHosts()));
      }
    }
    if (od.interval() != null) {
      out.setInterval(ProtoDurations.of(od.interval()));
    }
    if (od.baseEjectionTime() != null) {
      out.setBaseEjectionTime(ProtoDurations.of(od.baseEjectionTime()));
    }
    if (od.maxEjectionPercent() != null) {
      out.setMaxEjectionPercent(UInt32Value.of(od.maxEjectionPercent()));
    }
    return Optional.of(out.build());
  }
}
