package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two control-plane replicas in Kubernetes mode against one real API server: both serve xDS from
 * their own watch, one Lease picks the one that writes status, and when the leader stops the other
 * takes over within the lease duration.
 */
@org.junit.jupiter.api.TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesReplicasTest {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(KubernetesReplicasTest.class);
  private static final Duration LEASE = KubernetesReplicas.LEASE;
  private static KubeApiServer kube;
  private static ControlPlane a;
  private static ControlPlane b;

  @BeforeAll
  static void start(@TempDir Path storeA, @TempDir Path storeB) throws Exception {
    kube = KubeApiServer.start();
    kube.installCrd();
    assertThat(kube.kubectl(null, "create", "namespace", "ml").ok()).isTrue();
    assertThat(kube.kubectl(null, "create", "namespace", "sluice-system").ok()).isTrue();
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
  @Order(2)
  @DisplayName("both replicas serve xDS; one leads; when it dies the other takes over status within the lease duration")
  void oneLeader_theOtherTakesOver() throws Exception {
    try (TaggedBackend v1 = new TaggedBackend("v1")) {
      apply(1, v1.endpoint());
      String holder = KubernetesReplicas.awaitHolder(kube, null);
      assertThat(holder).matches("replica-[ab]_[0-9a-f]{8}");
      // A view left by a replica killed long ago: counted for nothing, and the leader deletes it.
      assertThat(kube.kubectl("""
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: sluice-proxies-gone-replica
            namespace: sluice-system
            labels: {sluice.dev/proxy-view: "true"}
          data:
            at: "2026-01-01T00:00:00Z"
            view: '{"ml/replicas": {"generation": 1, "acked": 5, "nacked": 0, "pending": 0}}'
          """, "apply", "-f", "-").ok()).isTrue();
      // One proxy on each replica: the leader's Programmed counts both, the other's through its view.
      try (ProxylessClient onA = new ProxylessClient(a.grpcBootstrap("client-on-a"), "replicas.ml");
          ProxylessClient onB = new ProxylessClient(b.grpcBootstrap("client-on-b"), "replicas.ml")) {
        assertThat(onA.calls(10, Duration.ofSeconds(20), Map.of())).containsOnly("v1");
        assertThat(onB.calls(10, Duration.ofSeconds(20), Map.of())).containsOnly("v1");
        awaitJsonPath("1 2 True", "{.status.observedGeneration} {.status.proxies.acked}"
            + " {.status.conditions[?(@.type==\"Programmed\")].status}");
      }
      long gone = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (kube.kubectl(null, "get", "configmap", "sluice-proxies-gone-replica", "-n", "sluice-system").ok()) {
        assertThat(System.nanoTime()).as("abandoned view still there after 30 s").isLessThan(gone);
        Thread.sleep(200);
      }

      ControlPlane leader = holder.startsWith("replica-a") ? a : b;
      String follower = holder.startsWith("replica-a") ? "replica-b" : "replica-a";
      long stopped = System.nanoTime();
      leader.close();
      String next = KubernetesReplicas.awaitHolder(kube, holder);
      long tookMillis = (System.nanoTime() - stopped) / 1_000_000;
      assertThat(next).startsWith(follower);
      log.info("the Lease moved from {} to {} {} ms after the leader stopped without releasing it", holder, next, tookMillis);
      assertThat(tookMillis).as("takeover after the leader stopped").isLessThan(LEASE.toMillis() + 3000);

      apply(2, v1.endpoint());
      awaitStatus("2");
      if (leader == a) {
        a = null;
      } else {
        b = null;
      }
    }
  }

  @Test
  @Order(1)
  @DisplayName("a bootstrap token minted on one replica opens a stream on the other; revoking it there closes it")
  void bootstrapTokens_areSharedByReplicas() throws Exception {
    ControlPlane minter = a != null ? a : b;
    ControlPlane other = minter == a ? b : a;
    if (other == null) {
      throw new IllegalStateException("runs before the takeover test stops a replica");
    }
    Bootstraps minted = Bootstraps.mint(minter, "ml", "shared", "gw-shared", null);
    try (SdsClient client = SdsClient.secure(other, minted.bearer())) {
      SdsClient.Stream stream = client.open().request(SdsClient.gatewayNode("gw-shared"), SdsClient.SECRET,
          List.of("default", "ROOTCA"));
      assertThat(stream.next(Duration.ofSeconds(10))).as("secrets from the replica that did not mint").isNotNull();
      assertThat(other.get("/api/v1/tokens/" + minted.tokenId()).status()).isEqualTo(200);

      assertThat(minter.delete("/api/v1/tokens/" + minted.tokenId()).status()).isEqualTo(204);
      Status status = stream.awaitClosed(Duration.ofSeconds(30));
      assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(status.getDescription()).contains("revoked");
    }
  }

  private static void apply(int generationHint, String endpoint) {
    String doc = """
        apiVersion: sluice.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: replicas, namespace: ml}
        spec:
          hosts: [replicas.ml]
          port: 8080
          protocol: GRPC
          timeout: %ds
          versions:
          - {name: v1, weight: 100, endpoints: ["%s"]}
        """.formatted(generationHint + 1, endpoint);
    kube.apply(doc);
  }

  private static void awaitJsonPath(String expected, String jsonPath) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      last = kube.kubectl(null, "get", "mr", "replicas", "-n", "ml", "-o", "jsonpath=" + jsonPath).out().strip();
      if (last.equals(expected)) {
        return;
      }
      Thread.sleep(200);
    }
    assertThat(last).as(jsonPath).isEqualTo(expected);
  }

  private static void awaitStatus(String generation) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      last = kube.kubectl(null, "get", "mr", "replicas", "-n", "ml", "-o",
          "jsonpath={.status.observedGeneration}").out().strip();
      if (last.equals(generation)) {
        return;
      }
      Thread.sleep(200);
    }
    assertThat(last).as("observedGeneration").isEqualTo(generation);
  }
}
