package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.injector.inject.InjectionTemplate;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
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
 * The whole Kubernetes path of a sidecar, every part real but the kubelet: a pod created in a
 * namespace labelled for injection is injected by the webhook the API server calls; the pod as
 * stored is what runs, in a network namespace standing in for it ({@link PodSidecar#runInjected});
 * its Envoy proves the pod's identity with a bound service-account token for audience
 * {@code sluice} (what the kubelet projects), checked by TokenReview on the API server; and it routes
 * the app's calls by the ModelRoute applied with kubectl, to the control plane in Kubernetes mode.
 */
class EnvoyKubernetesSidecarTest {
  static final String POD = "scorer-client-0";
  static final Duration PROGRAMMED = Duration.ofSeconds(30);

  @TempDir static Path store;
  private static PodNamespace pod;
  private static ControlPlane cp;
  private static InjectorWebhook injector;
  private static HttpBackend v1;
  private static HttpBackend v2;
  private static PodSidecar sidecar;
  private static PodApp app;
  private static KubeApiServer kube;

  @BeforeAll
  static void start() throws Exception {
    PodNamespace.unavailable().ifPresent(reason -> {
      throw Peers.missing("the sidecar tests need network namespaces: " + reason);
    });
    EnvoyRuntime runtime = EnvoyRuntime.select();
    boolean primary = runtime.slot().equals("primary");
    pod = PodNamespace.create("sluice-kpod-" + runtime.slot(), primary ? 13 : 14);
    kube = KubeApiServer.start();
    kube.installCrd();
    for (List<String> command : List.of(List.of("create", "namespace", "sluice-system"), List.of("create", "namespace", "ml"),
        List.of("label", "namespace", "ml", "sluice.dev/inject=enabled"),
        List.of("create", "serviceaccount", "scorer-client", "-n", "ml"))) {
      KubeApiServer.Kubectl run = kube.kubectl(null, command.toArray(String[]::new));
      assertThat(run.ok()).as("kubectl %s: %s", command, run.err()).isTrue();
    }
    cp = ControlPlane.prepare(store).withXdsAddress("0.0.0.0").withArgs(
        "--sluice.store.type=kubernetes", "--sluice.kubernetes.kubeconfig=" + kube.kubeconfig());
    cp.closing(kube);
    cp.start();
    String trustBundle = cp.raw(java.net.http.HttpRequest.newBuilder().GET(), "/api/v1/trust-bundle").body();
    injector = InjectorWebhook.start(trustBundle, "--sluice.injector.xds-host=" + pod.hostIp(),
        "--sluice.injector.xds-port=" + cp.secureXdsPort(), "--sluice.injector.xds-server-name=localhost");
    injector.register(kube);

    v1 = new HttpBackend("scorer-v1", pod.hostIp());
    v2 = new HttpBackend("scorer-v2", pod.hostIp());
    kube.apply("""
        apiVersion: sluice.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: scorer, namespace: ml}
        spec:
          hosts: [scorer.ml]
          port: 8080
          versions:
            - {name: v1, weight: 70, endpoints: ["%s:%d"]}
            - {name: v2, weight: 30, endpoints: ["%s:%d"]}
        """.formatted(pod.hostIp(), v1.port(), pod.hostIp(), v2.port()));

    Pod stored;
    try (KubernetesClient client = kube.client()) {
      stored = awaitInjected(client);
    }
    InjectedPod injected = InjectedPod.stored(Serialization.asJson(stored));
    KubeApiServer.Kubectl token = kube.kubectl(null, "create", "token", "scorer-client", "-n", "ml",
        "--audience", "sluice", "--bound-object-kind", "Pod", "--bound-object-name", POD);
    assertThat(token.ok()).as(token.err()).isTrue();
    Path dir = EnvoyGateway.OUTPUT.resolve("kpod-" + runtime.slot());
    Files.createDirectories(dir);
    app = new PodApp(pod);
    sidecar = PodSidecar.runInjected(pod, runtime, injected, POD, token.out().strip(), dir);
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {pod, injector, cp, v1, v2}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Test
  @DisplayName("Kubernetes sidecar: injected by the API server's webhook, proven by TokenReview, routing by ModelRoute")
  void injectedPod_provesItsTokenAndSplitsTheAppsCalls() throws Exception {
    app.awaitAnswer("http", "10.96.0.10:8080", "scorer.ml", s -> s.startsWith("scorer-"), PROGRAMMED, sidecar::logs);
    List<String> calls = app.call("http", "10.96.0.10:8080", "scorer.ml", 300);
    assertThat(calls).allMatch(s -> s.equals("scorer-v1") || s.equals("scorer-v2"));
    Binomial.assertWithin("calls to v1", calls.stream().filter("scorer-v1"::equals).count(), calls.size(), 0.7);

    ProxyStatus status = ProxyStatus.of(cp, POD);
    assertThat(status).as("the sidecar's stream").isNotNull();
    assertThat(status.nacks()).as("NACKs:%n%s", sidecar.logs()).isZero();
    assertThat(cp.get("/api/v1/proxies/" + POD).body().get(0).get("identity").asString())
        .as("the identity TokenReview proved").isEqualTo("ml/scorer-client");
  }

  @Test
  @DisplayName("Kubernetes sidecar: a route under a rollout: its load reports (token) and access logs (vouched) count each call")
  void rolloutRoute_theSidecarsLoadReportsAndAccessLogsCountEachCall() throws Exception {
    kube.apply("""
        apiVersion: sluice.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: ranker, namespace: ml}
        spec:
          hosts: [ranker.ml]
          port: 8080
          versions:
            - {name: v1, weight: 50, endpoints: ["%s:%d"]}
            - {name: v2, weight: 50, endpoints: ["%s:%d"]}
          rollout: {canary: v2, steps: [50], interval: 1h}   # held at its one step for the test
        """.formatted(pod.hostIp(), v1.port(), pod.hostIp(), v2.port()));
    try {
      app.awaitAnswer("http", "10.96.0.10:8080", "ranker.ml", s -> s.startsWith("scorer-"), PROGRAMMED, sidecar::logs);
      Measurements m = new Measurements(cp);
      Measurements.settle();
      var before1 = m.totals("ml|ranker|v1");
      var before2 = m.totals("ml|ranker|v2");

      List<String> calls = app.call("http", "10.96.0.10:8080", "ranker.ml", 100);
      long to1 = calls.stream().filter("scorer-v1"::equals).count();
      long to2 = calls.stream().filter("scorer-v2"::equals).count();
      assertThat(to1 + to2).as("answers: %s", calls).isEqualTo(100);
      var after1 = m.awaitSince("ml|ranker|v1", before1, d -> d.envoyLrsRequests() >= to1 && d.logged() >= to1,
          Duration.ofSeconds(20));
      var after2 = m.awaitSince("ml|ranker|v2", before2, d -> d.envoyLrsRequests() >= to2 && d.logged() >= to2,
          Duration.ofSeconds(20));
      Measurements.Delta d1 = new Measurements.Delta(before1, after1);
      Measurements.Delta d2 = new Measurements.Delta(before2, after2);

      assertThat(d1.envoyLrsRequests()).as("v1 %s; sidecar log:%n%s", d1, sidecar.logs()).isEqualTo(to1);
      assertThat(d2.envoyLrsRequests()).as("v2 %s", d2).isEqualTo(to2);
      assertThat(d1.logged()).as("v1 %s; sidecar log:%n%s", d1, sidecar.logs()).isEqualTo(to1);
      assertThat(d2.logged()).as("v2 %s", d2).isEqualTo(to2);
      assertThat(after1.since(before1, o -> o.httpStatus() >= 500).latencySamples()).isEqualTo(to1);
      assertThat(ProxyStatus.of(cp, POD).nacks()).isZero();
    } finally {
      kube.kubectl(null, "delete", "modelroute", "ranker", "-n", "ml");
    }
  }

  /** Creates the app's pod through the API server and returns it as stored, injected. */
  private static Pod awaitInjected(KubernetesClient client) throws InterruptedException {
    long deadline = System.nanoTime() + PROGRAMMED.toNanos();
    while (true) {
      // The API server takes up a new webhook configuration asynchronously: retry until it is used.
      client.pods().inNamespace("ml").resource(new PodBuilder()
          .withNewMetadata().withName(POD).withNamespace("ml").endMetadata()
          .withNewSpec().withServiceAccountName("scorer-client")
          .addNewContainer().withName("app").withImage("registry.invalid/app:1")
          .addNewPort().withContainerPort(8080).endPort().endContainer()
          .endSpec().build()).create();
      Pod stored = client.pods().inNamespace("ml").withName(POD).get();
      if (stored.getSpec().getInitContainers().stream().anyMatch(c -> c.getName().equals(InjectionTemplate.PROXY))) {
        return stored;
      }
      client.resource(stored).withGracePeriod(0).delete();
      client.pods().inNamespace("ml").withName(POD).waitUntilCondition(p -> p == null, 10,
          java.util.concurrent.TimeUnit.SECONDS);
      assertThat(System.nanoTime()).as("the webhook never injected the pod").isLessThan(deadline);
      Thread.sleep(200);
    }
  }
}
