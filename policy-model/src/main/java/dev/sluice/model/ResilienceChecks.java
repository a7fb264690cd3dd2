package dev.sluice.model;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** Validation of how failures are handled: retries, circuit breaking, ejection and injected faults. */
final class ResilienceChecks {
  static final int MAX_RETRY_ATTEMPTS = 10;
  private static final String RETRY_CONDITIONS =
      String.join(", ", Arrays.stream(RetryCondition.values()).map(RetryCondition::wireName).toList());

  private ResilienceChecks() {}

  static void retries(RetryPolicy retries, Checks checks) {
    if (retries == null) {
      return;
    }
    checks.range("spec.retries.attempts", retries.attempts(), 0, MAX_RETRY_ATTEMPTS, true);
    checks.duration("spec.retries.perTryTimeout", retries.perTryTimeout());
    if (retries.on() == null || retries.on().isEmpty()) {
      checks.add("spec.retries.on", "must name at least one retry condition");
    } else {
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < retries.on().size(); i++) {
        String condition = retries.on().get(i);
        String path = "spec.retries.on[" + i + "]";
        if (RetryCondition.fromWireName(condition).isEmpty()) {
          checks.add(path, "'" + condition + "' is not a retry condition; use one of " + RETRY_CONDITIONS);
        } else if (!seen.add(condition)) {
          checks.add(path, "'" + condition + "' is listed twice");
        }
      }
    }
    if (retries.backoff() != null) {
      Optional<Duration> base = checks.requiredDuration("spec.retries.backoff.base", retries.backoff().base());
      Optional<Duration> max = checks.duration("spec.retries.backoff.max", retries.backoff().max());
      // grpc-js keeps whole milliseconds and rejects a route whose base interval rounds to 0.
      atLeastOneMillisecond("spec.retries.backoff.base", base, checks);
      atLeastOneMillisecond("spec.retries.backoff.max", max, checks);
      if (base.isPresent() && max.isPresent() && max.get().compareTo(base.get()) < 0) {
        checks.add("spec.retries.backoff.max", "must not be shorter than base (" + retries.backoff().base() + ")");
      }
    }
    if (retries.budget() != null) {
      checks.percent("spec.retries.budget.percent", retries.budget().percent(), true);
      checks.atLeast("spec.retries.budget.minConcurrency", retries.budget().minConcurrency(), 0);
    }
  }

  private static void atLeastOneMillisecond(String path, Optional<Duration> value, Checks checks) {
    if (value.isPresent() && value.get().compareTo(Duration.ofMillis(1)) < 0) {
      checks.add(path, "must be at least 1ms");
    }
  }

  static void circuitBreaker(CircuitBreaker breaker, Checks checks) {
    if (breaker == null) {
      return;
    }
    if (breaker.maxConnections() == null && breaker.maxPendingRequests() == null && breaker.maxRequests() == null) {
      checks.add("spec.circuitBreaker", "must set at least one of maxConnections, maxPendingRequests or maxRequests");
    }
    checks.atLeast("spec.circuitBreaker.maxConnections", breaker.maxConnections(), 1);
    checks.atLeast("spec.circuitBreaker.maxPendingRequests", breaker.maxPendingRequests(), 1);
    checks.atLeast("spec.circuitBreaker.maxRequests", breaker.maxRequests(), 1);
  }

  static void outlierDetection(OutlierDetection od, Checks checks) {
    if (od == null) {
      return;
    }
    String path = "spec.outlierDetection";
    checks.atLeast(path + ".consecutive5xx", od.consecutive5xx(), 1);
    checks.range(path + ".failurePercent", od.failurePercent(), 0, 100, false);
    checks.atLeast(path + ".minRequests", od.minRequests(), 1);
    checks.atLeast(path + ".minHosts", od.minHosts(), 1);
    if (od.failurePercent() == null) {
      if (od.minRequests() != null) {
        checks.add(path + ".minRequests", "applies only with failurePercent");
      }
      if (od.minHosts() != null) {
        checks.add(path + ".minHosts", "applies only with failurePercent");
      }
    }
    checks.duration(path + ".interval", od.interval());
    checks.duration(path + ".baseEjectionTime", od.baseEjectionTime());
    checks.range(path + ".maxEjectionPercent", od.maxEjectionPercent(), 0, 100, false);
  }

  static void fault(Fault fault, Checks checks) {
    if (fault == null) {
      return;
    }
    if (fault.delay() == null && fault.abort() == null) {
      checks.add("spec.fault", "must set delay, abort or both");
    }
    if (fault.delay() != null) {
      checks.percent("spec.fault.delay.percent", fault.delay().percent(), true);
      checks.requiredDuration("spec.fault.delay.duration", fault.delay().duration());
    }
    if (fault.abort() != null) {
      checks.percent("spec.fault.abort.percent", fault.abort().percent(), true);
      checks.range("spec.fault.abort.httpStatus", fault.abort().httpStatus(), 200, 599, true);
    }
  }
}
