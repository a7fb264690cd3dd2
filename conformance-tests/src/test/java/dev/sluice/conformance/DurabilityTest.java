package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes answered 2xx survive {@code kill -9} of the control plane's process. */
class DurabilityTest {
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir Path store;

  @Test
  void twentyAnsweredWrites_surviveKillDashNine() throws Exception {
    int restPort = ControlPlane.freePort();
    Process first = launch(restPort);
    List<String> written = new ArrayList<>();
    try {
      awaitReady(restPort);
      for (int i = 0; i < 20; i++) {
        String name = "durable-" + i;
        int status = put(restPort, name, Routes.single(name + ".ml", "10.9.0." + (i + 1) + ":8080", null));
        assertThat(status).isEqualTo(201);
        written.add(name);
      }
    } finally {
      first.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no flush
    }

    Process second = launch(restPort);
    try {
      awaitReady(restPort);
      for (int i = 0; i < written.size(); i++) {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + restPort + "/api/v1/namespaces/ml/modelroutes/" + written.get(i)))
                .header("Authorization", adminAuthorization()).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(written.get(i)).isEqualTo(200);
        assertThat(r.body()).contains("10.9.0." + (i + 1) + ":8080");
      }
    } finally {
      second.destroyForcibly().waitFor();
    }
  }

  private Process launch(int restPort) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "dev.sluice.controlplane.SluiceApplication",
        "--server.port=" + restPort, "--server.address=127.0.0.1",
        "--sluice.xds.port=0", "--sluice.xds.address=127.0.0.1",
        "--sluice.store.path=" + store.toAbsolutePath())
        .redirectErrorStream(true)
        .redirectOutput(store.resolve("control-plane-" + restPort + "-" + System.nanoTime() + ".log").toFile())
        .start();
  }

  /** The admin token the first start wrote into the store (no token is configured), kept across the kill. */
  private String adminAuthorization() throws java.io.IOException {
    return "Bearer " + java.nio.file.Files.readString(store.resolve("admin-token")).strip();
  }

  private int put(int port, String name, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/namespaces/ml/modelroutes/" + name))
            .header("Content-Type", "application/json").header("Authorization", adminAuthorization()).PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  private static void awaitReady(int port) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness")).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the control plane did not become ready on port " + port + File.separator);
  }
}
