package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A rollout in Kubernetes mode, with two replicas against a real API server: the Lease holder
 * decides and keeps the progress in the ConfigMap {@code sluice-rollouts}, the other replica shows
 * the same, the leader writes {@code status.rollout}, and when the leader stops the new one carries
 * on with the same step rather than starting again.
 */
class KubernetesRolloutTest {
  static final String ROLLOUT = "/api/v1/namespaces/ml/modelroutes/canary/rollout";
  private static KubeApiServer kube;
  private static ControlPlane a;
  private static ControlPlane b;

  @BeforeAll
  static void start(@TempDir Path storeA, @TempDir Path storeB) throws Exception {
    kube = KubeApiServer.startWithCrd("ml", "sluice-system");
    a = KubernetesReplicas.replica(kube, storeA, "replica-a");
    b = KubernetesReplicas.replica(kube, storeB, "replica-b");
  }

  @AfterAll
  static void stop() {
    for (ControlPlane cp : new ControlPlane[] {a, b}) {
      if (cp != null) {
        cp.close();
      }
    }
    if (kube != null) {
      kube.close();
    }
  }

  @Test
  void newLeader_carriesOnWithTheSameStep() throws Exception {
    assertThat(kube.apply("""
        apiVersion: sluice.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: canary, namespace: ml}
        spec:
          hosts: [canary.ml]
          port: 8080
          versions:
          - {name: v1, weight: 100, endpoints: ["10.0.0.1:8080"]}
          - {name: v2, weight: 0, endpoints: ["10.0.0.2:8080"]}
          rollout: {canary: v2, steps: [10, 50], interval: 10m}
        """).ok()).isTrue();
    String holder = KubernetesReplicas.awaitHolder(kube, null);
    ControlPlane leader = holder.startsWith("replica-a") ? a : b;
    ControlPlane follower = leader == a ? b : a;

    // No proxy receives the route, so its first step starts at once, and holds for want of requests.
    JsonNode started = awaitStarted(leader);
    assertThat(started.get("canaryWeight").asInt()).isEqualTo(10);
    JsonNode seen = awaitStarted(follower);
    assertThat(seen.get("stepStartedAt")).as("the follower shows the leader's progress").isEqualTo(started.get("stepStartedAt"));
    assertThat(kube.kubectl(null, "get", "configmap", "sluice-rollouts", "-n", "sluice-system", "-o",
        "jsonpath={.data.ml\\.canary}").out()).contains("\"step\":1", "\"canaryWeight\":10");
    awaitJsonPath("Progressing v1=90 v2=10", "{.status.rollout.phase} {.status.rollout.weights}");

    leader.close();
    if (leader == a) {
      a = null;
    } else {
      b = null;
    }
    String next = KubernetesReplicas.awaitHolder(kube, holder);
    assertThat(next).startsWith(follower == a ? "replica-a" : "replica-b");
    Thread.sleep(3000); // several ticks of the new leader

    JsonNode after = follower.get(ROLLOUT).body();
    assertThat(after.get("phase").asString()).isEqualTo("Progressing");
    assertThat(after.get("step").asInt()).isEqualTo(1);
    assertThat(after.get("stepStartedAt")).as("not started again").isEqualTo(started.get("stepStartedAt"));
    assertThat(after.get("history")).hasSameSizeAs(started.get("history"));
    ControlPlane.Response paused = follower.post(ROLLOUT + "/pause", "");
    assertThat(paused.status()).isEqualTo(200);
    awaitJsonPath("Paused v1=90 v2=10", "{.status.rollout.phase} {.status.rollout.weights}");
  }

  private static JsonNode awaitStarted(ControlPlane cp) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    ControlPlane.Response last = null;
    while (System.nanoTime() < deadline) {
      last = cp.get(ROLLOUT);
      if (last.status() == 200 && !last.body().get("stepStartedAt").isNull()) {
        return last.body();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no started step within 30 s; last: " + (last == null ? null : last.body()));
  }

  private static void awaitJsonPath(String expected, String jsonPath) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      last = kube.kubectl(null, "get", "mr", "canary", "-n", "ml", "-o", "jsonpath=" + jsonPath).out().strip();
      if (last.equals(expected)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("expected '" + expected + "' for " + jsonPath + ", last '" + last + "'");
  }
}
