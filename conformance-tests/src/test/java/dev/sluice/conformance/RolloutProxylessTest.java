package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Automated canary rollouts judged on what a real grpc-java xDS client reports over LRS: a healthy
 * canary is promoted, one failing a fifth of its calls is rolled back within two intervals, and a
 * step the client rejects (NACK) is rolled back at once.
 */
class RolloutProxylessTest {
  private static final Logger log = LoggerFactory.getLogger(RolloutProxylessTest.class);
  static final String ROUTES = "/api/v1/namespaces/ml/modelroutes/";

  @TempDir Path store;

  static String route(String host, TaggedBackend stable, TaggedBackend canary, String rollout) {
    return """
        {"metadata": {"labels": {"sabotage": "step-50"}},
         "spec": {"hosts": ["%s"], "port": 8080, "protocol": "GRPC",
          "versions": [{"name": "v1", "weight": 100, "endpoints": ["%s"]},
                       {"name": "v2", "weight": 0, "endpoints": ["%s"]}],
          "rollout": %s}}
        """.formatted(host, stable.endpoint(), canary.endpoint(), rollout);
  }

  static JsonNode awaitPhase(ControlPlane cp, String name, String phase, Duration timeout) throws InterruptedException {
    return RolloutEnvoyTest.awaitPhase(cp, name, phase, timeout);
  }

  private static RolloutTraffic traffic(ProxylessClient client) {
    return new RolloutTraffic(client.nodeId(), client::callOrError, 3);
  }

  @Test
  void healthyCanary_isPromoted_onTheClientsLoadReports() throws Exception {
    try (ControlPlane cp = ControlPlane.start(store);
        TaggedBackend v1 = new TaggedBackend("v1"); TaggedBackend v2 = new TaggedBackend("v2")) {
      cp.put(ROUTES + "healthy", "application/json", route("healthy.ml", v1, v2,
          "{\"canary\": \"v2\", \"steps\": [10, 40], \"interval\": \"2s\", \"analysis\": {\"minRequests\": 20}}"));
      try (ProxylessClient client = new ProxylessClient(cp.grpcBootstrap("rollout-healthy"), "healthy.ml");
          RolloutTraffic traffic = traffic(client)) {
        JsonNode promoted = awaitPhase(cp, "healthy", "Promoted", Duration.ofSeconds(90));

        assertThat(promoted.get("weights").toString()).isEqualTo("{\"v1\":0,\"v2\":100}");
        assertThat(promoted.get("history").toString()).contains("StepStarted", "Promoted");
        traffic.awaitAnswersFrom("v2", Duration.ofSeconds(15)); // the promoted split reaches the proxy
      }
    }
  }

  @Test
  void canaryFailingAFifthOfCalls_isRolledBackWithinTwoIntervals() throws Exception {
    try (ControlPlane cp = ControlPlane.start(store);
        TaggedBackend v1 = new TaggedBackend("v1"); TaggedBackend v2 = new TaggedBackend("v2")) {
      v2.failureRate(0.2);
      cp.put(ROUTES + "failing", "application/json", route("failing.ml", v1, v2,
          "{\"canary\": \"v2\", \"steps\": [25, 50], \"interval\": \"10s\", \"analysis\": {\"minRequests\": 20}}"));
      try (ProxylessClient client = new ProxylessClient(cp.grpcBootstrap("rollout-failing"), "failing.ml");
          RolloutTraffic traffic = traffic(client)) {
        JsonNode rolledBack = awaitPhase(cp, "failing", "RolledBack", Duration.ofSeconds(60));
        Instant decided = Instant.now();

        assertThat(rolledBack.get("reason").asString()).isEqualTo("FailedAnalysis");
        assertThat(rolledBack.get("message").asString()).contains("canary success rate", "below the minimum 99 %");
        Duration toRollback = Duration.between(traffic.firstFailure(), decided);
        log.info("grpc-java failing canary: first error to rollback {} ms; {}", toRollback.toMillis(),
            rolledBack.get("message").asString());
        assertThat(toRollback).isLessThan(Duration.ofSeconds(20));
      }
    }
  }

  @Test
  void stepTheClientRejects_isRolledBackAtOnce() throws Exception {
    try (ControlPlane cp = ControlPlane.prepare(store, RolloutSabotage.class);
        TaggedBackend v1 = new TaggedBackend("v1"); TaggedBackend v2 = new TaggedBackend("v2")) {
      cp.start();
      cp.put(ROUTES + "nacked", "application/json", route("nacked.ml", v1, v2,
          "{\"canary\": \"v2\", \"steps\": [10, 50], \"interval\": \"2s\", \"analysis\": {\"minRequests\": 20}}"));
      try (ProxylessClient client = new ProxylessClient(cp.grpcBootstrap("rollout-nack"), "nacked.ml");
          RolloutTraffic traffic = traffic(client)) {
        JsonNode rolledBack = awaitPhase(cp, "nacked", "RolledBack", Duration.ofSeconds(60));

        assertThat(rolledBack.get("reason").asString()).isEqualTo("Rejected");
        assertThat(rolledBack.get("step").asInt()).isEqualTo(2);
        assertThat(rolledBack.get("message").asString()).contains("a proxy rejected step 2 (canary at 50 %)",
            "rollout-nack");
        var events = new java.util.ArrayList<String>();
        rolledBack.get("history").forEach(e -> events.add(e.get("event").asString()));
        assertThat(events).endsWith("StepPublished", "RolledBack");
        // Back on the stable split, which the client accepts: it keeps being served, by v1 alone.
        ProxyStatus.await(cp, "rollout-nack", s -> s.nacks() >= 1);
        traffic.awaitQuiet(java.util.List.of("v2"), Duration.ofSeconds(1), Duration.ofSeconds(15));
        assertThat(client.callOrError()).isEqualTo("v1");
      }
    }
  }
}
