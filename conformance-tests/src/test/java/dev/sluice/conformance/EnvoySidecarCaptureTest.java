package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.injector.inject.CaptureRules;
import dev.sluice.injector.inject.InjectorSettings;
import dev.sluice.injector.inject.SidecarBootstrap;
import dev.sluice.translate.SidecarPorts;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A stock Envoy sidecar next to an app that knows nothing of it, in a network namespace standing in
 * for the pod, with the capture rules of the injector's init container applied there.
 *
 * <ul>
 *   <li>Outbound: the app's plain HTTP and gRPC calls to an address that only resolves a model's
 *       name (no route leads there from the pod) reach the model's versions, split by weight.
 *   <li>A call to something no route names passes through to where the app sent it.
 *   <li>Inbound: a caller outside the pod (a gateway Envoy on the host) reaches the app through the
 *       sidecar's mutual TLS under MUTUAL, and the app sees the caller's SPIFFE ID; a plaintext
 *       caller is refused; under PERMISSIVE it gets through too.
 * </ul>
 *
 * Needs root (network namespaces, iptables); without it the tests skip with the reason, and on CI
 * they fail.
 */
class EnvoySidecarCaptureTest {
  static final String GATEWAY_NODE = "envoy-sidecar-caller";
  static final String POD_NODE = "app-pod-1";
  static final int APP_PORT = 8080;
  static final Duration PROGRAMMED = Duration.ofSeconds(30);

  @RegisterExtension static final EnvoySuite suite = EnvoySuite.gateway(GATEWAY_NODE)
      .withControlPlane(store -> {
        // xDS on every address, so the pod reaches it over its veth; the gateway dials 127.0.0.1.
        ControlPlane cp = ControlPlane.prepare(store).withXdsAddress("0.0.0.0")
            .withArgs("--sluice.xds.advertised-host=127.0.0.1");
        cp.start();
        return cp;
      })
      .withEnvoy(cp -> EnvoyGateway.startMinted(cp, GATEWAY_NODE));

  /** The app's pod before injection: one container serving 8080, as the ml/app-server account. */
  static final String APP_POD = """
      {"apiVersion": "v1", "kind": "Pod",
       "metadata": {"name": "app-pod-1", "namespace": "ml", "labels": {"app": "app-server"}},
       "spec": {"serviceAccountName": "app-server",
         "containers": [{"name": "app", "image": "example/app:1", "ports": [{"containerPort": 8080}],
           "readinessProbe": {"httpGet": {"path": "/healthz", "port": 8080}}}]}}
      """;

  private static PodNamespace pod;
  private static InjectedPod injected;
  private static PodSidecar sidecar;
  private static PodApp app;

  /** The sidecar took every configuration it was sent: no resource of any type was NACKed. */
  @org.junit.jupiter.api.AfterEach
  void sidecarNackedNothing() {
    if (sidecar != null) {
      ProxyStatus status = ProxyStatus.of(suite.cp(), POD_NODE);
      assertThat(status).as("the sidecar's stream").isNotNull();
      assertThat(status.nacks()).as("NACKs of the sidecar:%n%s", sidecar.logs()).isZero();
    }
  }

  @AfterAll
  static void removePod() {
    if (pod != null) {
      pod.close();
      pod = null;
    }
  }

  @Test
  @DisplayName("sidecar: the app's HTTP and gRPC calls split by weight")
  void appsPlainCalls_areCapturedAndSplitByWeight() throws Exception {
    PodNamespace p = pod();
    try (HttpBackend v1 = new HttpBackend("scorer-v1", p.hostIp()); HttpBackend v2 = new HttpBackend("scorer-v2", p.hostIp());
        TaggedBackend g1 = new TaggedBackend("embedder-v1", p.hostIp());
        TaggedBackend g2 = new TaggedBackend("embedder-v2", p.hostIp())) {
      put("scorer", """
          {"spec": {"hosts": ["scorer.ml"], "port": 8080, "versions": [
            {"name": "v1", "weight": 80, "endpoints": ["%s:%d"]},
            {"name": "v2", "weight": 20, "endpoints": ["%s:%d"]}]}}
          """.formatted(p.hostIp(), v1.port(), p.hostIp(), v2.port()));
      put("embedder", """
          {"spec": {"hosts": ["embedder.ml"], "port": 9000, "protocol": "GRPC", "versions": [
            {"name": "v1", "weight": 50, "endpoints": ["%s:%d"]},
            {"name": "v2", "weight": 50, "endpoints": ["%s:%d"]}]}}
          """.formatted(p.hostIp(), g1.port(), p.hostIp(), g2.port()));

      // 10.96.0.x stands for the Services' cluster IPs: nothing routes there from the pod, so an
      // answer can only come through the sidecar.
      app.awaitAnswer("http", "10.96.0.10:8080", "scorer.ml", s -> s.startsWith("scorer-"), PROGRAMMED, sidecar::logs);
      List<String> http = app.call("http", "10.96.0.10:8080", "scorer.ml", 400);
      assertThat(http).allMatch(s -> s.equals("scorer-v1") || s.equals("scorer-v2"));
      Binomial.assertWithin("HTTP calls to v1", http.stream().filter("scorer-v1"::equals).count(), http.size(), 0.8);

      app.awaitAnswer("grpc", "10.96.0.11:9000", "embedder.ml:9000", s -> s.startsWith("embedder-"), PROGRAMMED,
          sidecar::logs);
      List<String> grpc = app.call("grpc", "10.96.0.11:9000", "embedder.ml:9000", 400);
      assertThat(grpc).allMatch(s -> s.equals("embedder-v1") || s.equals("embedder-v2"));
      Binomial.assertWithin("gRPC calls to v1", grpc.stream().filter("embedder-v1"::equals).count(), grpc.size(), 0.5);

      assertThat(sidecar.accessLog()).contains("\"upstream_cluster\":\"ml|scorer|v2\"")
          .contains("\"upstream_cluster\":\"ml|embedder|v1\"");
      suite.detail("HTTP: " + http.size() + " calls, v1 " + http.stream().filter("scorer-v1"::equals).count()
          + "; gRPC: " + grpc.size() + " calls, v1 " + grpc.stream().filter("embedder-v1"::equals).count());
    }
  }

  @Test
  @DisplayName("sidecar: calls no route names pass through")
  void callsNoRouteNames_passThroughToWhereTheAppSentThem() throws Exception {
    PodNamespace p = pod();
    try (HttpBackend elsewhere = new HttpBackend("not-a-model", p.hostIp())) {
      // A port no route serves: TCP passthrough. The app's own address, as it dialled it.
      List<String> replies = app.call("http", p.hostIp() + ":" + elsewhere.port(), "whatever.example", 3);
      assertThat(replies).containsOnly("not-a-model");
    }
  }

  @Test
  @DisplayName("sidecar: inbound mTLS under MUTUAL, plaintext too under PERMISSIVE")
  void inbound_mutualRefusesPlaintext_permissiveTakesBoth() throws Exception {
    PodNamespace p = pod();
    put("app", appRoute(p, "MUTUAL"));
    EnvoyGateway gateway = suite.envoy();
    gateway.awaitFirst200("app.ml", PROGRAMMED);
    EnvoyGateway.Reply viaMesh = gateway.get("app.ml");
    assertThat(viaMesh.body()).startsWith("app-server xfcc=").contains("URI=spiffe://cluster.local/ns/ml/sa/gateway");
    assertThat(plaintext(p)).as("a plaintext caller under MUTUAL").isNull();
    // The kubelet probes in plaintext too: the injector moved the app's probe to the sidecar's
    // health port, which passes it to the app on 127.0.0.1.
    JsonNode probe = injected.pod().path("spec").path("containers").get(0).path("readinessProbe").path("httpGet");
    assertThat(probe.path("port").asInt()).isEqualTo(SidecarPorts.HEALTH);
    assertThat(get("http://" + p.podIp() + ":" + probe.path("port").asInt() + probe.path("path").asText()))
        .as("the app's readiness probe under MUTUAL").isEqualTo("200 app-server xfcc=-");

    put("app", appRoute(p, "PERMISSIVE"));
    long deadline = System.nanoTime() + PROGRAMMED.toNanos();
    String direct = null;
    while (direct == null && System.nanoTime() < deadline) {
      direct = plaintext(p);
      Thread.sleep(200);
    }
    assertThat(direct).as("a plaintext caller under PERMISSIVE").isEqualTo("app-server xfcc=-");
    assertThat(gateway.get("app.ml").body()).contains("URI=spiffe://cluster.local/ns/ml/sa/gateway");
  }

  @Test
  @DisplayName("sidecar: the kubelet's readiness probe passes, on the ports both sides agree on")
  void sidecarsStartupAndReadinessProbe_answerOnThePodsAddress() throws Exception {
    PodNamespace p = pod();
    // The injector (iptables rules, bootstrap) and the translators (listeners) name the same ports.
    assertThat(List.of(CaptureRules.OUTBOUND_PORT, CaptureRules.INBOUND_PORT, CaptureRules.PROXY_UID,
        SidecarBootstrap.ADMIN_PORT, SidecarBootstrap.HEALTH_PORT))
        .containsExactly(SidecarPorts.OUTBOUND, SidecarPorts.INBOUND, SidecarPorts.PROXY_UID, SidecarPorts.ADMIN,
            SidecarPorts.HEALTH);
    JsonNode probe = injected.pod().path("spec").path("initContainers").findValue("startupProbe").path("httpGet");
    assertThat(get("http://" + p.podIp() + ":" + probe.path("port").asInt() + probe.path("path").asText()))
        .startsWith("200 ").contains("LIVE");
  }

  /** A plain GET from this machine, as the kubelet probes: {@code "<status> <body>"}. */
  private static String get(String url) throws Exception {
    java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    return r.statusCode() + " " + r.body().strip();
  }

  private static String appRoute(PodNamespace p, String mode) {
    return """
        {"spec": {"hosts": ["app.ml"], "port": 8080, "versions": [
          {"name": "v1", "weight": 100, "endpoints": ["%s:%d"], "serviceAccount": "app-server"}],
          "tls": {"mode": "%s"}}}
        """.formatted(p.podIp(), APP_PORT, mode);
  }

  /** A plain HTTP GET from this machine to the app's port; null when the connection is refused or cut. */
  private static String plaintext(PodNamespace p) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(p.podIp(), APP_PORT), 2000);
      s.setSoTimeout(3000);
      s.getOutputStream().write("GET / HTTP/1.1\r\nHost: app\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.UTF_8));
      String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!response.startsWith("HTTP/1.1 200")) {
        return null;
      }
      return response.substring(response.indexOf("\r\n\r\n") + 4).strip();
    } catch (IOException e) {
      return null;
    }
  }

  /** The pod with its app, its capture rules and its sidecar, made once for the class. */
  private static synchronized PodNamespace pod() throws Exception {
    if (pod != null) {
      return pod;
    }
    PodNamespace.unavailable().ifPresent(reason -> {
      throw Peers.missing("the sidecar capture tests need network namespaces: " + reason);
    });
    PodNamespace p = PodNamespace.create("sluice-pod-" + suite.runtime().slot(), suite.runtime().slot().equals("primary") ? 11 : 12);
    pod = p;
    Path dir = EnvoyGateway.OUTPUT.resolve("pod-" + suite.runtime().slot());
    Files.createDirectories(dir);
    app = new PodApp(p);
    app.serve(APP_PORT, "app-server", dir);
    // The pod as the webhook injects it, dialling the control plane on the host's side of the veth.
    InjectorSettings settings = InjectorSettings.defaults()
        .withXds(p.hostIp(), suite.cp().secureXdsPort(), Optional.of("localhost"));
    String trustBundle = suite.cp().raw(java.net.http.HttpRequest.newBuilder().GET(), "/api/v1/trust-bundle").body();
    injected = InjectedPod.inject(settings, "ml", APP_POD, trustBundle);
    // The projected token: outside Kubernetes, a bootstrap token for the same identity and node.
    Bootstraps minted = Bootstraps.mintSidecar(suite.cp(), "ml", "app-server", POD_NODE, List.of(APP_PORT), p.hostIp());
    sidecar = PodSidecar.runInjected(p, suite.runtime(), injected, POD_NODE,
        minted.bearer().substring("Bearer ".length()), dir);
    return p;
  }

  private static void put(String name, String json) {
    ControlPlane.Response r = suite.cp().put("/api/v1/namespaces/ml/modelroutes/" + name, "application/json", json);
    assertThat(r.status()).as("PUT %s: %s", name, r.body()).isIn(200, 201);
  }
}
