package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.injector.inject.Injector;
import dev.sluice.injector.inject.InjectorSettings;
import dev.sluice.injector.inject.Json;
import dev.sluice.injector.inject.SidecarBootstrap;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The kubelet probes the injector moves to the sidecar reach the app through a real Envoy started
 * from the injected bootstrap: a pod with HTTP probes goes through {@link Injector#review}, and the
 * sidecar's health port 15021 forwards each rewritten probe's path to the app on 127.0.0.1 with the
 * original path and query (and Host), while a path no probe was rewritten to gets a 404.
 *
 * <p>xDS points at a closed port: the health listener is static and must serve without the control
 * plane. Envoy opens even static listeners only once its initial xDS fetch is over, CDS then LDS,
 * each timing out after the default 15 s; the test waits for that (about 30 s) rather than change
 * the injected bootstrap. The bootstrap's ports (15000, 15021) are fixed, so one such Envoy runs at a
 * time in this JVM, stopped at the end. Needs a local Envoy binary (the app is on this machine's
 * loopback); without one it skips, or fails on CI (as {@link EnvoySuite}).
 */
class EnvoyInjectedProbesTest {
  static final Duration LISTENERS_OPEN = Duration.ofSeconds(60);
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  @DisplayName("injected sidecar: rewritten kubelet probes reach the app with their path, query and host")
  void rewrittenProbes_reachTheAppWithTheirOriginalPath_andOtherPathsGet404() throws Exception {
    EnvoyRuntime envoy = EnvoyRuntime.select();
    if (envoy.binary().isEmpty()) {
      throw Peers.missing("the injected probes test needs a local Envoy " + envoy.version() + " binary, found only Docker");
    }
    Map<String, String> seen = new ConcurrentHashMap<>(); // request URI -> Host, as the app got them
    HttpServer app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    app.createContext("/", exchange -> {
      seen.put(exchange.getRequestURI().toString(), exchange.getRequestHeaders().getFirst("Host"));
      byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    app.start();
    EnvoyProcess sidecar = null;
    try {
      String pem = IssuedServingCertificate.issue().rootPem();
      JsonNode patch = inject(app.getAddress().getPort(), ControlPlane.freePort(), pem);
      List<String> probePaths = new ArrayList<>();
      for (JsonNode op : patch) {
        if (op.get("op").asString().equals("replace")) {
          assertThat(op.at("/value/httpGet/port").asInt()).isEqualTo(SidecarBootstrap.HEALTH_PORT);
          probePaths.add(op.at("/value/httpGet/path").asString());
        }
      }
      assertThat(probePaths).containsExactlyInAnyOrder("/app-health/app/livez", "/app-health/app/readyz");
      String bootstrap = container(patch, "sluice-proxy").get("args").get(1).asString()
          .replace(SidecarBootstrap.POD_NAME_REF, "ranker-5c6d7-x1y2z");
      sidecar = envoy.start(bootstrap, "sidecar.json",
          EnvoyGateway.OUTPUT.resolve("injected-probes-" + envoy.slot()));

      assertThat(awaitStatus("/app-health/app/readyz", sidecar)).isEqualTo(200);
      assertThat(seen).containsEntry("/ready?probe=kubelet", "127.0.0.1:" + SidecarBootstrap.HEALTH_PORT);
      assertThat(get("/app-health/app/livez")).isEqualTo(200);
      assertThat(seen).containsEntry("/live", "app.internal");
      assertThat(get("/app-health/app/startupz")).as("a probe the pod does not have").isEqualTo(404);
      assertThat(get("/ready")).as("the app's own path, not a health path").isEqualTo(404);
      assertThat(get("/healthz/ready")).as("Envoy's own readiness stays").isEqualTo(200);
      assertThat(seen).doesNotContainKeys("/app-health/app/startupz", "/ready");
    } finally {
      if (sidecar != null) {
        sidecar.close(); // frees 15000 and 15021 for the next run in this JVM
      }
      app.stop(0);
    }
  }

  /** The patch the injector answers for a pod whose app serves on {@code appPort}, xDS at a closed port. */
  private static JsonNode inject(int appPort, int closedPort, String pem) {
    InjectorSettings d = InjectorSettings.defaults();
    InjectorSettings settings = new InjectorSettings(d.controlPlaneNamespace(), d.sidecarMode(), d.captureMode(),
        d.proxyImage(), d.captureImage(), d.proxyCpu(), d.proxyMemory(), d.proxyLogLevel(), List.of(),
        "127.0.0.1", closedPort, d.xdsServerName(), true);
    String review = """
        {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {
          "uid": "probes-1", "kind": {"group": "", "version": "v1", "kind": "Pod"}, "namespace": "ml",
          "operation": "CREATE", "object": {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "ranker-5c6d7-x1y2z", "namespace": "ml"},
            "spec": {"serviceAccountName": "ranker", "containers": [{"name": "app", "image": "ranker:3",
              "ports": [{"name": "http", "containerPort": %d}],
              "readinessProbe": {"httpGet": {"path": "/ready?probe=kubelet", "port": "http"}, "periodSeconds": 5},
              "livenessProbe": {"httpGet": {"path": "/live", "port": %d, "host": "app.internal"}}}]}}}}
        """.formatted(appPort, appPort);
    Injector.Outcome outcome = new Injector(settings).review(review.getBytes(StandardCharsets.UTF_8),
        () -> pem);
    assertThat(outcome.decision()).as(outcome.reason()).isEqualTo(Injector.Decision.INJECTED);
    JsonNode response = ControlPlane.JSON.readTree(Json.write(outcome.response())).get("response");
    return ControlPlane.JSON.readTree(Base64.getDecoder().decode(response.get("patch").asString()));
  }

  /** The first object named {@code name} anywhere in {@code node}. */
  private static JsonNode container(JsonNode node, String name) {
    if (node.isObject() && node.has("name") && node.get("name").asString().equals(name)) {
      return node;
    }
    for (JsonNode child : node) {
      JsonNode found = container(child, name);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  /** Polls a health path until Envoy opens its listeners; its status then. */
  private int awaitStatus(String path, EnvoyProcess sidecar) throws InterruptedException {
    long deadline = System.nanoTime() + LISTENERS_OPEN.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        return get(path);
      } catch (IOException notYet) {
        Thread.sleep(250);
      }
    }
    return fail("port %d did not open within %s:%n%s", SidecarBootstrap.HEALTH_PORT, LISTENERS_OPEN, sidecar.logs());
  }

  private int get(String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + SidecarBootstrap.HEALTH_PORT + path))
        .timeout(Duration.ofSeconds(5)).GET().build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
