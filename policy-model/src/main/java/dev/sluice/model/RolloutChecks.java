package dev.sluice.model;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Validation of an automated canary rollout ({@code spec.rollout}). */
final class RolloutChecks {
  static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
  static final Duration MAX_WEBHOOK_TIMEOUT = Duration.ofMinutes(1);
  static final Set<String> GRPC_STATUSES = Set.of("CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
      "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED",
      "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED");
  private static final Pattern HTTP_STATUS = Pattern.compile("[1-5]xx|[1-5][0-9][0-9]");

  private RolloutChecks() {}

  static void rollout(ModelRouteSpec spec, Checks checks) {
    Rollout rollout = spec.rollout();
    if (rollout == null) {
      return;
    }
    canary(rollout.canary(), spec.versions(), checks);
    steps(rollout, checks);
    interval(rollout.interval(), checks);
    if (rollout.analysis() != null) {
      analysis(rollout.analysis(), checks);
    }
    webhooks(rollout.webhooks(), checks);
  }

  private static void canary(String canary, List<ModelVersion> versions, Checks checks) {
    String path = "spec.rollout.canary";
    if (!checks.required(path, canary) || versions == null) {
      return;
    }
    boolean declared = false;
    int others = 0;
    for (ModelVersion v : versions) {
      if (v == null) {
        continue;
      }
      if (canary.equals(v.name())) {
        declared = true;
      } else {
        others++;
      }
    }
    if (!declared) {
      checks.add(path, "'" + canary + "' is not one of spec.versions");
    } else if (others == 0) {
      checks.add(path, "'" + canary + "' is the only version: a rollout needs another version to share traffic with"
          + " and to roll back to");
    }
  }

  private static void steps(Rollout rollout, Checks checks) {
    if (rollout.steps() != null && rollout.stepWeight() != null) {
      checks.add("spec.rollout.stepWeight", "give either steps or stepWeight, not both");
      return;
    }
    if (rollout.steps() == null && rollout.stepWeight() == null && rollout.maxWeight() != null) {
      checks.add("spec.rollout.maxWeight", "is only used with stepWeight");
    }
    if (rollout.steps() != null) {
      List<Integer> steps = rollout.steps();
      if (steps.isEmpty()) {
        checks.add("spec.rollout.steps", "must list at least one weight");
      }
      Integer previous = null;
      for (int i = 0; i < steps.size(); i++) {
        String path = "spec.rollout.steps[" + i + "]";
        Integer w = steps.get(i);
        if (w == null || w < 1 || w > 100) {
          checks.add(path, "must be between 1 and 100, was " + w);
          continue;
        }
        if (previous != null && w <= previous) {
          checks.add(path, "must be greater than the step before it (" + previous + "): steps only increase");
        }
        previous = w;
      }
    }
    if (rollout.stepWeight() != null) {
      checks.range("spec.rollout.stepWeight", rollout.stepWeight(), 1, 100, true);
      checks.range("spec.rollout.maxWeight", rollout.maxWeight(), 1, 100, false);
      int max = rollout.maxWeight() == null ? Rollout.DEFAULT_MAX_WEIGHT : rollout.maxWeight();
      if (rollout.stepWeight() >= 1 && rollout.stepWeight() > max) {
        checks.add("spec.rollout.stepWeight", "must not exceed maxWeight (" + max + "), was " + rollout.stepWeight());
      }
    }
  }

  private static void interval(String interval, Checks checks) {
    Optional<Duration> d = checks.duration("spec.rollout.interval", interval);
    if (d.isPresent() && d.get().compareTo(MIN_INTERVAL) < 0) {
      checks.add("spec.rollout.interval", "must be at least 1s, was " + interval);
    }
  }

  private static void analysis(RolloutAnalysis analysis, Checks checks) {
    String path = "spec.rollout.analysis";
    if (analysis.successRate() != null) {
      checks.percent(path + ".successRate.min", analysis.successRate().min(), true);
    }
    if (analysis.latency() != null) {
      checks.requiredDuration(path + ".latency.p99Max", analysis.latency().p99Max());
    }
    checks.range(path + ".minRequests", analysis.minRequests(), 1, 1_000_000_000, false);
    checks.range(path + ".failureLimit", analysis.failureLimit(), 1, 100, false);
    RolloutAnalysis.FailureCodes codes = analysis.failures();
    if (codes == null) {
      return;
    }
    if (codes.httpStatuses() != null) {
      for (int i = 0; i < codes.httpStatuses().size(); i++) {
        String code = codes.httpStatuses().get(i);
        if (code == null || !HTTP_STATUS.matcher(code).matches()) {
          checks.add(path + ".failures.httpStatuses[" + i + "]",
              "'" + code + "' is neither a status class such as 5xx nor a status code from 100 to 599");
        }
      }
    }
    if (codes.grpcStatuses() != null) {
      for (int i = 0; i < codes.grpcStatuses().size(); i++) {
        String code = codes.grpcStatuses().get(i);
        if (code == null || !GRPC_STATUSES.contains(code)) {
          checks.add(path + ".failures.grpcStatuses[" + i + "]",
              "'" + code + "' is not a gRPC status name that means failure, such as UNAVAILABLE or INTERNAL");
        }
      }
    }
  }

  private static void webhooks(List<RolloutWebhook> webhooks, Checks checks) {
    if (webhooks == null) {
      return;
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < webhooks.size(); i++) {
      String path = "spec.rollout.webhooks[" + i + "]";
      RolloutWebhook hook = webhooks.get(i);
      if (hook == null) {
        checks.add(path, "must not be null");
        continue;
      }
      if (checks.required(path + ".name", hook.name())) {
        if (!NameRules.isDns1123Label(hook.name())) {
          checks.add(path + ".name", "'" + hook.name() + "' is not a DNS-1123 label");
        } else if (!names.add(hook.name())) {
          checks.add(path + ".name", "'" + hook.name() + "' is used by another webhook");
        }
      }
      if (checks.required(path + ".type", hook.type()) && !RolloutWebhook.PRE_STEP.equals(hook.type())
          && !RolloutWebhook.ROLLBACK.equals(hook.type())) {
        checks.add(path + ".type", "must be pre-step or rollback, was '" + hook.type() + "'");
      }
      if (checks.required(path + ".url", hook.url())) {
        url(path + ".url", hook.url(), checks);
      }
      Optional<Duration> timeout = checks.duration(path + ".timeout", hook.timeout());
      if (timeout.isPresent() && timeout.get().compareTo(MAX_WEBHOOK_TIMEOUT) > 0) {
        checks.add(path + ".timeout", "must be at most 1m, was " + hook.timeout());
      }
    }
  }

  private static void url(String path, String url, Checks checks) {
    try {
      URI uri = new URI(url);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        checks.add(path, "'" + url + "' is not an absolute http or https URL");
      }
    } catch (URISyntaxException e) {
      checks.add(path, "'" + url + "' is not a URL: " + e.getReason());
    }
  }
}
