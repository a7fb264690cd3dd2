package dev.sluice.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.controlplane.RunningApp;
import dev.sluice.controlplane.SluiceApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/** The whole application on free ports with its store in a temp folder: wiring, endpoint and start-up refusal. */
@ExtendWith(OutputCaptureExtension.class)
class TrustBundleEndpointTest {
  @TempDir Path store;

  @Test
  void trustBundle_isServedAsPem_andIsTheRootStoredOnFirstStart() throws Exception {
    try (ConfigurableApplicationContext context = start()) {
      String base = "http://127.0.0.1:" + context.getEnvironment().getRequiredProperty("local.server.port");
      HttpClient http = HttpClient.newHttpClient();

      HttpResponse<String> bundle = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/trust-bundle")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(bundle.statusCode()).isEqualTo(200);
      assertThat(bundle.headers().firstValue("Content-Type")).hasValueSatisfying(
          type -> assertThat(type).startsWith("application/x-pem-file"));
      assertThat(bundle.body()).isEqualTo(Files.readString(store.resolve("ca/root-cert.pem")))
          .startsWith("-----BEGIN CERTIFICATE-----").doesNotContain("PRIVATE KEY");

      HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/prometheus")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.body()).contains("sluice_ca_root_expiry_seconds").contains("sluice_ca_root_remaining_ratio");

      // application.yaml documents exactly the defaults the code applies
      assertThat(context.getBean(CaProperties.class)).isEqualTo(CaProperties.defaults());
    }
  }

  @Test
  void unreadablePluggedCa_stopsStartUp_withAReportNamingThePropertyAndFile(CapturedOutput output) {
    Path missing = store.resolve("missing-cert.pem");

    assertThatThrownBy(() -> start("--sluice.ca.cert-file=" + missing, "--sluice.ca.key-file=" + missing).close())
        .hasStackTraceContaining(CaConfigurationException.class.getName())
        .hasStackTraceContaining("sluice.ca.cert-file (" + missing.toAbsolutePath() + "): the file does not exist");
    assertThat(output.getOut()).contains("APPLICATION FAILED TO START")
        .contains("The certificate authority cannot start: sluice.ca.cert-file (" + missing.toAbsolutePath() + ")");
  }

  private ConfigurableApplicationContext start(String... extra) {
    return new SpringApplicationBuilder(SluiceApplication.class).run(RunningApp.arguments(store, extra));
  }
}
