package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Automated canary rollouts through a real Envoy gateway, judged on what that Envoy reports over
 * the access-log and load-reporting services: a healthy canary is promoted through every step, one
 * failing a fifth of its requests is rolled back within two intervals with the numbers in status,
 * and a restart of the control plane mid-rollout resumes the same step.
 */
class RolloutEnvoyTest {
  private static final Logger log = LoggerFactory.getLogger(RolloutEnvoyTest.class);
  static final String ROUTES = "/api/v1/namespaces/ml/modelroutes/";

  /** Bootstrapped as operators do (minted by the REST API): its LRS and access logs go to the TLS xDS port. */
  @RegisterExtension static final EnvoySuite suite = EnvoySuite.gateway("envoy-rollout-1")
      .withEnvoy(cp -> EnvoyGateway.startMinted(cp, "envoy-rollout-1"));

  static String route(String host, HttpBackend stable, HttpBackend canary, String rollout) {
    return """
        {"metadata": {"labels": {"sabotage": "%s"}},
         "spec": {"hosts": ["%s"], "port": 8080,
          "versions": [{"name": "v1", "weight": 100, "endpoints": ["%s"]},
                       {"name": "v2", "weight": 0, "endpoints": ["%s"]}],
          "rollout": %s}}
        """.formatted(host.startsWith("nacked") ? "step-50" : "none", host, stable.endpoint(), canary.endpoint(), rollout);
  }

  static JsonNode awaitPhase(ControlPlane cp, String name, String phase, Duration timeout) throws InterruptedException {
    return awaitRollout(cp, name, r -> phase.equals(r.get("phase").asString()), phase, timeout);
  }

  /** Polls the rollout until {@code done} holds; fails naming {@code what} and the last rollout seen. */
  static JsonNode awaitRollout(ControlPlane cp, String name, java.util.function.Predicate<JsonNode> done, String what,
      Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      ControlPlane.Response r = cp.get(ROUTES + name + "/rollout");
      if (r.status() == 200) {
        last = r.body();
        if (done.test(last)) {
          return last;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("rollout of " + name + " not " + what + " within " + timeout + "; last: " + brief(last));
  }

  private static RolloutTraffic traffic(String host) {
    return traffic(suite, host);
  }

  static RolloutTraffic traffic(EnvoySuite envoySuite, String host) {
    return new RolloutTraffic(host, () -> {
      EnvoyGateway.Reply r = envoySuite.envoy().get(host);
      return r.status() == 200 ? r.body() : "error:" + r.status();
    }, 3);
  }

  @Test
  @DisplayName("healthy canary promoted through every step")
  void healthyCanary_isPromotedThroughEveryStep() throws Exception {
    try (HttpBackend v1 = new HttpBackend("v1"); HttpBackend v2 = new HttpBackend("v2")) {
      suite.putRoute("healthy", route("healthy.ml", v1, v2,
          "{\"canary\": \"v2\", \"steps\": [10, 50], \"interval\": \"2s\", \"analysis\": {\"minRequests\": 20}}"));
      try (RolloutTraffic traffic = traffic("healthy.ml")) {
        JsonNode promoted = awaitPhase(suite.cp(), "healthy", "Promoted", Duration.ofSeconds(90));

        assertThat(promoted.get("canaryWeight").asInt()).isEqualTo(100);
        assertThat(promoted.get("weights").toString()).isEqualTo("{\"v1\":0,\"v2\":100}");
        var events = new java.util.ArrayList<String>();
        promoted.get("history").forEach(e -> events.add(e.get("event").asString() + "@" + e.get("canaryWeight").asInt()));
        assertThat(events).containsSubsequence("StepStarted@10", "StepStarted@50", "Promoted@100");
        JsonNode route = suite.cp().get(ROUTES + "healthy").body();
        assertThat(route.at("/status/rollout/phase").asString()).as("%s", route).isEqualTo("Promoted");
        JsonNode status = route.at("/status/rollout");
        assertThat(status.get("weights").asString()).isEqualTo("v1=0 v2=100");
        traffic.awaitAnswersFrom("v2", Duration.ofSeconds(15)); // the promoted split reaches the proxy
        suite.detail("promoted after " + traffic.sent() + " requests");
      }
    }
  }

  @Test
  @DisplayName("canary failing 20 % rolled back within two intervals")
  void canaryFailingAFifthOfRequests_isRolledBackWithinTwoIntervals_withTheNumbers() throws Exception {
    try (HttpBackend v1 = new HttpBackend("v1"); HttpBackend v2 = new HttpBackend("v2")) {
      v2.failureRate(0.2);
      Duration interval = Duration.ofSeconds(10);
      suite.putRoute("failing", route("failing.ml", v1, v2, "{\"canary\": \"v2\", \"steps\": [25, 50], \"interval\": \"10s\","
          + " \"analysis\": {\"minRequests\": 20, \"failureLimit\": 2}}"));
      try (RolloutTraffic traffic = traffic("failing.ml")) {
        JsonNode rolledBack = awaitPhase(suite.cp(), "failing", "RolledBack", Duration.ofSeconds(60));
        Instant decided = Instant.now();

        assertThat(rolledBack.get("reason").asString()).isEqualTo("FailedAnalysis");
        assertThat(rolledBack.get("message").asString()).contains("canary success rate", "requests", "below the minimum 99 %",
            "2 consecutive failed checks");
        assertThat(rolledBack.get("weights").toString()).isEqualTo("{\"v1\":100,\"v2\":0}");
        assertThat(rolledBack.get("step").asInt()).as("rolled back in the first step").isEqualTo(1);
        Duration toRollback = Duration.between(traffic.firstFailure(), decided);
        log.info("failing canary: first error at {}, rolled back at {}: {} ms; {}", traffic.firstFailure(), decided,
            toRollback.toMillis(), rolledBack.get("message").asString());
        suite.detail("first error to rollback: " + toRollback.toMillis() + " ms");
        assertThat(toRollback).isLessThan(interval.multipliedBy(2));
        JsonNode route = suite.cp().get(ROUTES + "failing").body();
        assertThat(route.at("/status/rollout/phase").asString()).as("%s", route).isEqualTo("RolledBack");
        JsonNode status = route.at("/status/rollout");
        assertThat(status.get("message").asString()).contains("canary success rate");
        // The stable split takes all the traffic again.
        traffic.awaitQuiet(java.util.List.of("v2", "error:503"), Duration.ofSeconds(1), Duration.ofSeconds(15));
      }
    }
  }

  @Test
  @DisplayName("control-plane restart mid-rollout resumes the same step")
  void restartMidRollout_resumesTheSameStep() throws Exception {
    try (HttpBackend v1 = new HttpBackend("v1"); HttpBackend v2 = new HttpBackend("v2")) {
      suite.putRoute("restart", route("restart.ml", v1, v2,
          "{\"canary\": \"v2\", \"steps\": [20, 60], \"interval\": \"5m\", \"analysis\": {\"minRequests\": 20}}"));
      try (RolloutTraffic traffic = traffic("restart.ml")) {
        JsonNode running = awaitStarted(suite.cp(), "restart", Duration.ofSeconds(30));
        suite.cp().stop();
        suite.cp().start();

        JsonNode after = suite.cp().get(ROUTES + "restart/rollout").body();
        assertThat(after.get("phase").asString()).isEqualTo("Progressing");
        assertThat(after.get("step").asInt()).isEqualTo(1);
        assertThat(after.get("canaryWeight").asInt()).isEqualTo(20);
        assertThat(after.get("stepStartedAt").asString()).as("the interval still counts from the first ack")
            .isEqualTo(running.get("stepStartedAt").asString());
        assertThat(after.get("history")).hasSameSizeAs(running.get("history"));
        // Envoy reconnects and is given the same split: the canary keeps answering.
        traffic.awaitAnswersFrom("v2", Duration.ofSeconds(20));
        assertThat(suite.cp().post(ROUTES + "restart/rollout/promote", "").status()).isEqualTo(200);
        assertThat(awaitPhase(suite.cp(), "restart", "Promoted", Duration.ofSeconds(5)).get("reason").asString())
            .isEqualTo("PromotedByUser");
      }
    }
  }

  static JsonNode awaitStarted(ControlPlane cp, String name, Duration timeout) throws InterruptedException {
    return awaitRollout(cp, name, r -> !r.get("stepStartedAt").isNull(), "running a step", timeout);
  }

  /** The rollout without its samples, for a failure message. */
  static String brief(JsonNode rollout) {
    if (rollout == null) {
      return "none";
    }
    return ((tools.jackson.databind.node.ObjectNode) rollout.deepCopy()).without("samples").toString();
  }
}
