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
        List.of("10.0.0.0/8"), "10.0.0.5", 18001, Optional.of("sluice-xds.sluice-system.svc"), true));
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

  @Test
  void rewriteProbes_isOnByDefault_offByAnnotation_offBySetting_andTheAnnotationWins() throws IOException {
    InjectorSettings on = InjectorSettings.defaults();
    InjectorSettings off = on.withRewriteProbes(false);
    assertThat(status(on, "{}")).contains("\"probes\":{\"app/readyz\":\"8080 /ready\"}");
    assertThat(status(on, "{\"sluice.dev/rewrite-probes\": \"false\"}")).contains("\"probes\":{}");
    assertThat(status(off, "{}")).contains("\"probes\":{}");
    assertThat(status(off, "{\"sluice.dev/rewrite-probes\": \"true\"}")).contains("\"app/readyz\"");
  }

  @Test
  void rewriteProbesAnnotationThatIsNotABoolean_deniesThePodWhole() {
    Injector.Outcome outcome = new Injector(InjectorSettings.defaults())
        .review(probedReview("{\"sluice.dev/rewrite-probes\": \"no\"}"), () -> PEM);
    assertThat(outcome.decision()).isEqualTo(Injector.Decision.DENIED);
    assertThat(outcome.reason()).contains("sluice.dev/rewrite-probes", "'no'");
    assertThat(outcome.response().path("response").has("patch")).isFalse();
  }

  @Test
  void explicitCapture_claimsNoInboundPort_andMovesNoProbe() throws IOException {
    InjectorSettings explicit = InjectorSettings.defaults().withCaptureMode(CaptureMode.EXPLICIT);
    assertThat(status(explicit, "{}")).contains("\"inboundPorts\":[]", "\"probes\":{}");
    JsonNode patch = InjectorGoldenTest.patch(new Injector(explicit).review(probedReview("{}"), () -> PEM)
        .response().path("response"));
    JsonNode proxy = patch.findParents("name").stream().filter(c -> c.path("name").asText().equals("sluice-proxy"))
        .findFirst().orElseThrow();
    JsonNode bootstrap = Json.MAPPER.readTree(proxy.path("args").get(1).asText());
    assertThat(bootstrap.at("/node/metadata/sluice.inbound_ports").asText("absent")).isEmpty();
    assertThat(patch.toString()).doesNotContain("/readinessProbe");
  }

  /** The status annotation written for a pod with an HTTP readiness probe on its port 8080. */
  private static String status(InjectorSettings settings, String annotations) throws IOException {
    JsonNode patch = InjectorGoldenTest.patch(new Injector(settings).review(probedReview(annotations), () -> PEM)
        .response().path("response"));
    for (JsonNode op : patch) {
      if (op.path("path").asText().equals("/metadata/annotations/sluice.dev~1status")) {
        return op.path("value").asText();
      }
    }
    throw new AssertionError("no status annotation in " + patch);
  }

  private static byte[] probedReview(String annotations) {
    return ("""
        {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {
          "uid": "u-2", "kind": {"group": "", "version": "v1", "kind": "Pod"}, "namespace": "ml",
          "operation": "CREATE", "object": {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "p", "annotations": %s},
            "spec": {"containers": [{"name": "app", "image": "app:1", "ports": [{"containerPort": 8080}],
              "readinessProbe": {"httpGet": {"path": "/ready", "port": 8080}}}]}}}}
        """.formatted(annotations)).getBytes(StandardCharsets.UTF_8);
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
