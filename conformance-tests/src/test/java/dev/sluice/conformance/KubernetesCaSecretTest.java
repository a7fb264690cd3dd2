package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.controlplane.ca.CaProperties;
import dev.sluice.controlplane.ca.RootPem;
import dev.sluice.controlplane.kubernetes.SharedSecret;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kubernetes mode keeps the CA root and the bootstrap-token signing key in one Secret in the control
 * plane's namespace, on a real kube-apiserver: replicas started together sign with the same root, a
 * restart reuses it, nothing is written to the store folder, a plugged-in CA still wins, and two
 * creators racing for the Secret end with one value.
 */
class KubernetesCaSecretTest {
  static final String NAMESPACE = "sluice-system";
  static final Set<String> KEYS = Set.of("root-cert.pem", "root-key.pem", "token-signing.key");

  private static KubeApiServer kube;
  private static KubernetesClient client;

  @BeforeAll
  static void start() throws Exception {
    kube = KubeApiServer.startWithCrd(NAMESPACE);
    client = kube.client();
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (kube != null) {
      kube.close();
    }
  }

  @Test
  @DisplayName("two replicas started together: one Secret, the same root on both, and a restart reuses it")
  void twoReplicas_shareOneRootFromTheSecret(@TempDir Path storeA, @TempDir Path storeB) throws Exception {
    ControlPlane a = replica(storeA, "sluice-ca");
    ControlPlane b = replica(storeB, "sluice-ca");
    ExecutorService starter = Executors.newFixedThreadPool(2);
    try {
      CompletableFuture.allOf(CompletableFuture.runAsync(a::start, starter), CompletableFuture.runAsync(b::start, starter))
          .get(180, TimeUnit.SECONDS);
      String bundleA = trustBundle(a);
      assertThat(bundleA).startsWith("-----BEGIN CERTIFICATE-----");
      assertThat(trustBundle(b)).isEqualTo(bundleA);

      Secret secret = client.secrets().inNamespace(NAMESPACE).withName("sluice-ca").get();
      assertThat(secret).as("Secret sluice-system/sluice-ca").isNotNull();
      assertThat(secret.getData()).containsOnlyKeys(KEYS);
      assertThat(decoded(secret, "root-cert.pem").strip()).isEqualTo(bundleA.strip());
      assertThat(decoded(secret, "root-key.pem")).startsWith("-----BEGIN PRIVATE KEY-----");
      assertThat(Base64.getDecoder().decode(secret.getData().get("token-signing.key"))).hasSizeGreaterThanOrEqualTo(32);
      for (Path store : List.of(storeA, storeB)) {
        assertThat(store.resolve("ca")).as("no CA files in the store folder").doesNotExist();
        assertThat(store.resolve("tokens").resolve("signing.key")).as("no token key file").doesNotExist();
      }

      a.stop();
      a.start();
      assertThat(trustBundle(a)).as("the root after a restart").isEqualTo(bundleA);
      assertThat(client.secrets().inNamespace(NAMESPACE).withName("sluice-ca").get().getMetadata().getResourceVersion())
          .as("the Secret was read, not written, on restart").isEqualTo(secret.getMetadata().getResourceVersion());
    } finally {
      starter.shutdownNow();
      a.close();
      b.close();
    }
  }

  @Test
  @DisplayName("a plugged-in CA wins over the Secret, which then holds the token key alone")
  void pluggedInCa_winsOverTheSecret(@TempDir Path store, @TempDir Path files) throws Exception {
    RootPem own = RootPem.generate(CaProperties.defaults(), Clock.systemUTC(), "test files");
    Path cert = Files.writeString(files.resolve("ca-cert.pem"), own.certificatePem());
    Path key = Files.writeString(files.resolve("ca-key.pem"), own.keyPem());
    try (ControlPlane cp = ControlPlane.prepare(store).withArgs(
        "--sluice.store.type=kubernetes",
        "--sluice.kubernetes.kubeconfig=" + kube.kubeconfig(),
        "--sluice.kubernetes.ca-secret=plugged-ca",
        "--sluice.ca.cert-file=" + cert,
        "--sluice.ca.key-file=" + key)) {
      cp.start();
      assertThat(trustBundle(cp).strip()).isEqualTo(own.certificatePem().strip());
      Secret secret = client.secrets().inNamespace(NAMESPACE).withName("plugged-ca").get();
      assertThat(secret.getData()).containsOnlyKeys("token-signing.key");
    }
  }

  @Test
  @DisplayName("two creators racing, both having seen no Secret: one creates, the other takes the winner's")
  void twoCreators_endWithTheWinnersSecret() throws Exception {
    CyclicBarrier bothSawNone = new CyclicBarrier(2);
    List<Map<String, byte[]>> outcomes = race(bothSawNone, "raced", Set.of("k"));
    assertThat(outcomes.get(0).get("k")).isEqualTo(outcomes.get(1).get("k"));
    assertThat(Base64.getDecoder().decode(client.secrets().inNamespace(NAMESPACE).withName("raced").get()
        .getData().get("k"))).isEqualTo(outcomes.get(0).get("k"));
  }

  @Test
  @DisplayName("two replicas adding the same missing key at once: one update wins, the other reads it")
  void twoAdders_endWithOneValue() throws Exception {
    new SharedSecret(client, NAMESPACE, "grown").ensure(Set.of("old"), missing -> Map.of("old", bytes("kept")));
    CyclicBarrier bothSawItMissing = new CyclicBarrier(2);
    List<Map<String, byte[]>> outcomes = race(bothSawItMissing, "grown", Set.of("old", "new"));
    assertThat(outcomes.get(0).get("new")).isEqualTo(outcomes.get(1).get("new"));
    assertThat(outcomes.get(0).get("old")).isEqualTo(bytes("kept"));
    Secret secret = client.secrets().inNamespace(NAMESPACE).withName("grown").get();
    assertThat(Base64.getDecoder().decode(secret.getData().get("new"))).isEqualTo(outcomes.get(0).get("new"));
  }

  /**
   * Two {@link SharedSecret}s on two clients ensure {@code keys} of one Secret at once; each one's
   * generator waits at {@code barrier}, so both have read the Secret before either writes.
   */
  private static List<Map<String, byte[]>> race(CyclicBarrier barrier, String name, Set<String> keys) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try (KubernetesClient c1 = kube.client(); KubernetesClient c2 = kube.client()) {
      List<CompletableFuture<Map<String, byte[]>>> runs = List.of(c1, c2).stream()
          .map(c -> CompletableFuture.supplyAsync(() -> new SharedSecret(c, NAMESPACE, name).ensure(keys, missing -> {
            try {
              barrier.await(30, TimeUnit.SECONDS);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
            java.util.Map<String, byte[]> made = new java.util.HashMap<>();
            missing.forEach(k -> made.put(k, bytes(k + "-" + Thread.currentThread().getName())));
            return made;
          }), threads)).toList();
      return List.of(runs.get(0).get(60, TimeUnit.SECONDS), runs.get(1).get(60, TimeUnit.SECONDS));
    } finally {
      threads.shutdownNow();
    }
  }

  private static ControlPlane replica(Path store, String secret) {
    return ControlPlane.prepare(store).withArgs(
        "--sluice.store.type=kubernetes",
        "--sluice.kubernetes.kubeconfig=" + kube.kubeconfig(),
        "--sluice.kubernetes.ca-secret=" + secret);
  }

  private static String trustBundle(ControlPlane cp) {
    ControlPlane.RawResponse r = cp.raw(HttpRequest.newBuilder().GET(), "/api/v1/trust-bundle");
    assertThat(r.status()).isEqualTo(200);
    return r.body();
  }

  private static String decoded(Secret secret, String key) {
    return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.US_ASCII);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
