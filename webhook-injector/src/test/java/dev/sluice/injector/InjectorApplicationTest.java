package dev.sluice.injector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The application as deployed: HTTPS from PEM files on the webhook port answers an AdmissionReview
 * with a patch, and health is UP over plain HTTP on the management port.
 */
class InjectorApplicationTest {
  @Test
  void postInjectOverHttps_answersWithAPatch_andHealthIsUpOverPlainHttp(@TempDir Path dir) throws Exception {
    TestCertificate cert = TestCertificate.selfSigned(List.of("localhost"), List.of("127.0.0.1")).write(dir);
    Files.writeString(dir.resolve("ca.pem"), cert.certPem());
    try (ConfigurableApplicationContext app = InjectorApplication.builder().run(
        "--server.port=0", "--management.server.port=0",
        "--sluice.injector.tls.cert-file=" + dir.resolve("tls.crt"),
        "--sluice.injector.tls.key-file=" + dir.resolve("tls.key"),
        "--sluice.injector.trust-bundle-file=" + dir.resolve("ca.pem"))) {
      int port = ((WebServerApplicationContext) app).getWebServer().getPort();
      int managementPort = app.getEnvironment().getRequiredProperty("local.management.port", Integer.class);
      check(cert, port, managementPort);
    }
  }

  private static void check(TestCertificate cert, int port, int managementPort) throws Exception {
    String review = """
        {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {
          "uid": "7f0c", "kind": {"group": "", "version": "v1", "kind": "Pod"}, "namespace": "ml",
          "operation": "CREATE", "object": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
            "spec": {"containers": [{"name": "app", "image": "app:1"}]}}}}
        """;
    HttpClient https = HttpClient.newBuilder().sslContext(cert.clientContext()).build();
    HttpResponse<String> r = https.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/inject"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(review)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode response = new ObjectMapper().readTree(r.body()).path("response");
    assertThat(response.path("uid").asText()).isEqualTo("7f0c");
    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.path("patchType").asText()).isEqualTo("JSONPatch");

    HttpResponse<String> garbage = https.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/inject"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("nope")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(garbage.statusCode()).isEqualTo(200);
    assertThat(new ObjectMapper().readTree(garbage.body()).path("response").path("status").path("code").asInt())
        .isEqualTo(400);

    HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/readiness")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"UP\"");
  }
}
