package dev.sluice.injector.inject;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the goldens do not show case by case: settings other than the defaults, and failures. */
class InjectorTest {
  static final String PEM = InjectorGoldenTest.PEM;

  @Test
  void controlPlaneNamespace_isNeverInjected() throws IOException {
    Injector injector = new Injector(InjectorSettings.defaults());
    Injector.Outcome outcome = injector.review(review("sluice-system", "{}", "{}"), () -> PEM);
    assertThat(outcome.decision()).isEqualTo(Injector.Decision.SKIPPED);
    assertThat(outcome.reason()).contains("sluice-system");
    assertThat(outcome.response().path("response").has("patch")).isFalse();
  }

  @Test
  void unreadableTrustBundle_deniesThePodWithTheReason() {
    Injector injector = new Injector(InjectorSettings.defaults());
    Injector.Outcome outcome = injector.review(review("ml", "{}", "{}"), () -> {
      throw new UncheckedIOException(new IOException("/etc/sluice/trust/ca.pem: no such file"));
    });
    JsonNode response = outcome.response().path("response");
    assertThat(response.path("allowed").asBoolean()).isFalse();
    assertThat(response.path("status").path("message").asText()).contains("trust bundle", "no such file");
    assertThat(response.has("patch")).isFalse();
  }

  @Test
  void inboundPortsAnnotation_replacesDetectedPorts_andExcludesStillApply() throws IOException {
    Injector injector = new Injector(InjectorSettings.defaults());
    String annotations = "{\"sluice.dev/inbound-ports\": \"7000, 7001,7002\", \"sluice.dev/exclude-inbound-ports\": \"7001\"}";
    Injector.Outcome outcome = injector.review(review("ml", annotations, "{}"), () -> PEM);
    assertThat(outcome.reason()).contains("inbound ports [7000, 7002]");
  }

  @Test
  void settingsCidrsAndServerName_reachTheRulesAndTheBootstrap() throws IOException {
    InjectorSettings d = InjectorSettings.defaults();
    Injector injector = new Injector(new InjectorSettings(d.controlPlaneNamespace(), d.sidecarMode(),
        d.captureMode(), d.proxyImage(), d.captureImage(), d.proxyCpu(), d.proxyMemory(), d.proxyLogLevel(),
        List.of("10.0.0.0/8"), "10.0.0.5", 18001, Optional.of("sluice-xds.sluice-system.svc")));
    JsonNode patch = InjectorGoldenTest.patch(injector.review(review("ml", "{}", "{}"), () -> PEM)
        .response().path("response"));
    String text = patch.toString();
    assertThat(text).contains("-d 10.0.0.0/8 -j RETURN", "grpc.ssl_target_name_override",
        "sluice-xds.sluice-system.svc", "10.0.0.5:18001");
  }

  @Test
  void unknownCaptureMode_isDeniedNamingTheAnnotation() {
    Injector injector = new Injector(InjectorSettings.defaults());
    Injector.Outcome outcome = injector.review(review("ml", "{\"sluice.dev/capture\": \"ebpf\"}", "{}"), () -> PEM);
    assertThat(outcome.decision()).isEqualTo(Injector.Decision.DENIED);
    assertThat(outcome.response().path("response").path("status").path("code").asInt()).isEqualTo(400);
    assertThat(outcome.reason()).contains("sluice.dev/capture", "ebpf");
  }

  static byte[] review(String namespace, String annotations, String labels) {
    return ("""
        {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {
          "uid": "u-1", "kind": {"group": "", "version": "v1", "kind": "Pod"}, "namespace": "%s",
          "operation": "CREATE", "object": {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "p", "annotations": %s, "labels": %s},
            "spec": {"containers": [{"name": "app", "image": "app:1", "ports": [{"containerPort": 8080}]}]}}}}
        """.formatted(namespace, annotations, labels)).getBytes(StandardCharsets.UTF_8);
  }
}
