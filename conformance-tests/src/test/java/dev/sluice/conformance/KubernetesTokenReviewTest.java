package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proxies in Kubernetes prove their identity with a projected service-account token for audience
 * {@code sluice}, checked by TokenReview on a real kube-apiserver: the identity is the token's
 * namespace and service account, the node id must be the pod the token is bound to. Pods here are
 * API objects only (no kubelet); {@code kubectl create token --bound-object-kind Pod} makes the same
 * bound token a projected volume holds.
 */
class KubernetesTokenReviewTest {
  static final List<String> BOTH = List.of("default", "ROOTCA");

  @TempDir static Path store;
  private static KubeApiServer kube;
  private static ControlPlane cp;

  @BeforeAll
  static void start() throws Exception {
    kube = KubeApiServer.startWithCrd("sluice-system", "ml", "other");
    pod("ml", "scorer", "scorer-0");
    pod("other", "intruder", "intruder-0");
    pod("sluice-system", "sluice", "sluice-0");
    cp = ControlPlane.prepare(store).withArgs(
        "--sluice.store.type=kubernetes",
        "--sluice.kubernetes.kubeconfig=" + kube.kubeconfig(),
        "--sluice.kubernetes.token-review-interval=2s",
        "--sluice.tokens.recheck-interval=1s");
    cp.closing(kube);
    cp.start();
  }

  @AfterAll
  static void stop() {
    if (cp != null) {
      cp.close();
    } else if (kube != null) {
      kube.close();
    }
  }

  @Test
  @DisplayName("a bound token for audience sluice gets its own identity's secrets when the node id is the pod name")
  void boundToken_getsItsWorkloadSecret() throws Exception {
    String token = token("ml", "scorer", "sluice", "scorer-0");
    try (SdsClient client = SdsClient.secure(cp, "Bearer " + token)) {
      SdsClient.Stream stream = client.open().request(node("scorer-0", "ml"), SdsClient.SECRET, BOTH);
      DiscoveryResponse r = stream.next(Duration.ofSeconds(10));
      assertThat(r).as("secrets for a bound service-account token").isNotNull();
      SdsIdentity identity = SdsIdentity.of(SdsClient.secrets(r));
      assertThat(identity.spiffeId()).isEqualTo("spiffe://cluster.local/ns/ml/sa/scorer");
      assertThat(cp.get("/api/v1/proxies/scorer-0").body().get(0).get("identity").asString()).isEqualTo("ml/scorer");
    }
  }

  @Test
  @DisplayName("a token for another audience is refused by TokenReview: no secret, logged")
  void wrongAudience_isUnauthenticated() throws Exception {
    String token = token("ml", "scorer", "not-sluice", "scorer-0");
    Status status = refused(token, node("scorer-0", "ml"));
    assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(status.getDescription()).contains("refused by TokenReview", "audience 'sluice'");
    assertLogged("refused xDS call from", "refused by TokenReview");
  }

  @Test
  @DisplayName("a token bound to another pod than the node id: no secret, logged")
  void podNameOtherThanNodeId_isRefused() throws Exception {
    String token = token("ml", "scorer", "sluice", "scorer-0");
    Status status = refused(token, node("scorer-1", "ml"));
    assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(status.getDescription()).contains("is for node scorer-0, not scorer-1");
    assertLogged("refused xDS stream", "is for node scorer-0, not scorer-1");
  }

  @Test
  @DisplayName("a token of another namespace than the one the proxy names: no secret, logged")
  void tokenOfAnotherNamespace_isRefused() throws Exception {
    String token = token("other", "intruder", "sluice", "intruder-0");
    Status status = refused(token, node("intruder-0", "ml"));
    assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(status.getDescription()).contains("is for namespace other, but the node says it is in ml");
    assertLogged("refused xDS stream", "is for namespace other, but the node says it is in ml");
  }

  @Test
  @DisplayName("a token of the control plane's own namespace is refused: its identity is the control plane's")
  void tokenOfTheControlPlanesNamespace_isRefused() throws Exception {
    String token = token("sluice-system", "sluice", "sluice", "sluice-0");
    Status status = refused(token, node("sluice-0", "sluice-system"));
    assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(status.getDescription()).contains("control plane's own namespace");
  }

  @Test
  @DisplayName("bootstrap tokens keep working in Kubernetes mode")
  void bootstrapTokens_stillWork() throws Exception {
    Bootstraps minted = Bootstraps.mint(cp, "ml", "outside", "gw-outside", null);
    try (SdsClient client = SdsClient.secure(cp, minted.bearer())) {
      SdsClient.Stream stream = client.open().request(SdsClient.gatewayNode("gw-outside"), SdsClient.SECRET, BOTH);
      DiscoveryResponse r = stream.next(Duration.ofSeconds(10));
      assertThat(r).isNotNull();
      assertThat(SdsIdentity.of(SdsClient.secrets(r)).spiffeId())
          .isEqualTo("spiffe://cluster.local/ns/ml/sa/outside");
    }
  }

  /** Opens a stream with {@code token} for secrets as {@code node}; it must end with no response. */
  @Test
  @DisplayName("deleting the pod a token is bound to closes its open stream at the next TokenReview")
  void deletedPod_closesTheStream() throws Exception {
    KubeApiServer.Kubectl created = kube.kubectl("""
        apiVersion: v1
        kind: Pod
        metadata: {name: scorer-gone, namespace: ml}
        spec:
          serviceAccountName: scorer
          containers: [{name: model, image: example.invalid/model:1}]
        """, "apply", "-f", "-");
    assertThat(created.ok()).as(created.err()).isTrue();
    String token = token("ml", "scorer", "sluice", "scorer-gone");
    try (SdsClient client = SdsClient.secure(cp, "Bearer " + token)) {
      SdsClient.Stream stream = client.open().request(node("scorer-gone", "ml"), SdsClient.SECRET, BOTH);
      assertThat(stream.next(Duration.ofSeconds(10))).isNotNull();
      assertThat(kube.kubectl(null, "delete", "pod", "scorer-gone", "-n", "ml", "--wait=true").ok()).isTrue();
      Status status = stream.awaitClosed(Duration.ofSeconds(30));
      assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(status.getDescription()).contains("no longer passes TokenReview");
    }
  }

  private static Status refused(String token, Node node) throws Exception {
    try (SdsClient client = SdsClient.secure(cp, "Bearer " + token)) {
      SdsClient.Stream stream = client.open().request(node, SdsClient.SECRET, BOTH);
      Status status = stream.awaitClosed(Duration.ofSeconds(10));
      assertThat(stream.responses).as("responses on a refused stream").isEmpty();
      return status;
    }
  }

  private static Node node(String id, String namespace) {
    Node.Builder node = SdsClient.gatewayNode(id).toBuilder();
    node.getMetadataBuilder().putFields("sluice.namespace", Value.newBuilder().setStringValue(namespace).build());
    return node.build();
  }

  /** A ServiceAccount and a Pod that runs as it, as API objects. */
  private static void pod(String namespace, String serviceAccount, String pod) {
    KubeApiServer.Kubectl sa = kube.kubectl(null, "create", "serviceaccount", serviceAccount, "-n", namespace);
    assertThat(sa.ok()).as(sa.err()).isTrue();
    KubeApiServer.Kubectl created = kube.kubectl("""
        apiVersion: v1
        kind: Pod
        metadata: {name: %s, namespace: %s}
        spec:
          serviceAccountName: %s
          containers: [{name: app, image: registry.invalid/app:1}]
        """.formatted(pod, namespace, serviceAccount), "apply", "-f", "-");
    assertThat(created.ok()).as(created.err()).isTrue();
  }

  /** A token of the service account, for {@code audience}, bound to the pod. */
  private static String token(String namespace, String serviceAccount, String audience, String pod) {
    KubeApiServer.Kubectl token = kube.kubectl(null, "create", "token", serviceAccount, "-n", namespace,
        "--audience", audience, "--bound-object-kind", "Pod", "--bound-object-name", pod);
    assertThat(token.ok()).as(token.err()).isTrue();
    return token.out().strip();
  }

  /** The application log (the conformance POM's logging.file.name) has a line with all of {@code parts}. */
  private static void assertLogged(String... parts) throws Exception {
    String file = System.getProperty("logging.file.name");
    assertThat(file).as("logging.file.name, set by the conformance-tests POM").isNotNull();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (true) {
      boolean found = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8).stream()
          .anyMatch(line -> List.of(parts).stream().allMatch(line::contains));
      if (found || System.nanoTime() > deadline) {
        assertThat(found).as("a log line with %s", List.of(parts)).isTrue();
        return;
      }
      Thread.sleep(50);
    }
  }
}
