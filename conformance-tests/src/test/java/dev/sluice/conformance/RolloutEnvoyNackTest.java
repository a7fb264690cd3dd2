package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * A rollout step a real Envoy rejects (NACK) rolls the canary back at once. The rejection is made on
 * purpose ({@link RolloutSabotage}), so this suite's Envoy is allowed its NACK.
 */
class RolloutEnvoyNackTest {
  private static final Logger log = LoggerFactory.getLogger(RolloutEnvoyNackTest.class);

  @RegisterExtension static final EnvoySuite SUITE = EnvoySuite.gateway("envoy-rollout-nack")
      .withControlPlane(store -> {
        ControlPlane cp = ControlPlane.prepare(store, RolloutSabotage.class);
        cp.start();
        return cp;
      })
      .withEnvoy(cp -> EnvoyGateway.startMinted(cp, "envoy-rollout-nack"))
      .expectingNacks();

  @Test
  @DisplayName("a step Envoy rejects is rolled back at once")
  void stepEnvoyRejects_isRolledBackAtOnce() throws Exception {
    try (HttpBackend v1 = new HttpBackend("v1"); HttpBackend v2 = new HttpBackend("v2")) {
      // RolloutSabotage zeroes every weight of this route's split when the canary reaches 50 %.
      SUITE.putRoute("nacked", RolloutEnvoyTest.route("nacked.ml", v1, v2,
          "{\"canary\": \"v2\", \"steps\": [10, 50], \"interval\": \"2s\", \"analysis\": {\"minRequests\": 20}}"));
      try (RolloutTraffic traffic = RolloutEnvoyTest.traffic(SUITE, "nacked.ml")) {
        JsonNode rolledBack = RolloutEnvoyTest.awaitPhase(SUITE.cp(), "nacked", "RolledBack", Duration.ofSeconds(60));

        assertThat(rolledBack.get("reason").asString()).isEqualTo("Rejected");
        assertThat(rolledBack.get("step").asInt()).isEqualTo(2);
        assertThat(rolledBack.get("message").asString())
            .contains("a proxy rejected step 2 (canary at 50 %)", "envoy-rollout-nack");
        var events = new java.util.ArrayList<String>();
        rolledBack.get("history").forEach(e -> events.add(e.get("event").asString()));
        assertThat(events).endsWith("StepPublished", "RolledBack");
        log.info("Envoy rejected step 2: {}", rolledBack.get("message").asString());
        // Back on the stable split, which Envoy accepts: v1 answers.
        SUITE.envoy().awaitFirst200("nacked.ml", Duration.ofSeconds(10));
      }
    }
  }
}
