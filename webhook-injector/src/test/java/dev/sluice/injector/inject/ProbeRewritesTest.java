package dev.sluice.injector.inject;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rules of {@link ProbeRewrites}, probe by probe; the goldens {@code probes} show them whole. */
class ProbeRewritesTest {

  @Test
  void httpProbeToACapturedNumericPort_isMovedWithItsPathAndQuery() throws IOException {
    List<AppProbe> found = find("""
        {"name": "app", "livenessProbe": {"httpGet": {"path": "/healthz?deep=1", "port": 8080}}}""", 8080);
    assertThat(found).containsExactly(
        new AppProbe("app", 0, AppProbe.Kind.LIVENESS, 8080, "/healthz?deep=1", Optional.empty()));
    assertThat(found.get(0).healthPath()).isEqualTo("/app-health/app/livez");
    assertThat(found.get(0).statusKey()).isEqualTo("app/livez");
    assertThat(found.get(0).statusValue()).isEqualTo("8080 /healthz?deep=1");
  }

  @Test
  void namedPort_resolvesToThatContainersOwnPort_notAnotherContainers() throws IOException {
    String pod = """
        {"spec": {"containers": [
          {"name": "a", "ports": [{"name": "web", "containerPort": 8080}],
           "readinessProbe": {"httpGet": {"path": "/ready", "port": "web"}}},
          {"name": "b", "ports": [{"containerPort": 9000}],
           "readinessProbe": {"httpGet": {"path": "/ready", "port": "web"}}}]}}""";
    assertThat(ProbeRewrites.find(view(pod), List.of(8080, 9000)))
        .extracting(AppProbe::container, AppProbe::index, AppProbe::port)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("a", 0, 8080));
  }

  @Test
  void httpsTcpGrpcAndExecProbes_andPortsNotCaptured_areLeftAlone() throws IOException {
    assertThat(find("""
        {"name": "app",
         "livenessProbe": {"httpGet": {"path": "/h", "port": 8443, "scheme": "HTTPS"}},
         "readinessProbe": {"tcpSocket": {"port": 8080}},
         "startupProbe": {"grpc": {"port": 8080}}}""", 8080, 8443)).isEmpty();
    assertThat(find("""
        {"name": "app", "livenessProbe": {"exec": {"command": ["true"]}},
         "readinessProbe": {"httpGet": {"path": "/h", "port": 9100}}}""", 8080)).isEmpty();
  }

  @Test
  void theProxyContainer_isNeverRewritten() throws IOException {
    assertThat(find("""
        {"name": "sluice-proxy", "readinessProbe": {"httpGet": {"path": "/healthz/ready", "port": 8080}}}""", 8080))
        .isEmpty();
  }

  @Test
  void unsetPath_isTheRoot_andARelativePathGetsItsSlash() throws IOException {
    assertThat(find("""
        {"name": "app", "livenessProbe": {"httpGet": {"port": 8080}},
         "readinessProbe": {"httpGet": {"path": "ready", "port": 8080}}}""", 8080))
        .extracting(AppProbe::path).containsExactly("/", "/ready");
  }

  @Test
  void host_becomesTheAppsHost_unlessTheProbeSendsAHostHeader() throws IOException {
    assertThat(find("""
        {"name": "app", "livenessProbe": {"httpGet": {"path": "/l", "port": 8080, "host": "app.local"}},
         "readinessProbe": {"httpGet": {"path": "/r", "port": 8080, "host": "app.local",
           "httpHeaders": [{"name": "host", "value": "other.local"}]}}}""", 8080))
        .extracting(AppProbe::host).containsExactly(Optional.of("app.local"), Optional.empty());
  }

  @Test
  void rewrittenProbe_keepsHeadersSchemeAndTimings_andDropsHost() throws IOException {
    JsonNode original = Json.MAPPER.readTree("""
        {"httpGet": {"path": "/r", "port": "web", "host": "10.0.0.1", "scheme": "HTTP",
          "httpHeaders": [{"name": "X-Probe", "value": "1"}]},
         "periodSeconds": 5, "timeoutSeconds": 2, "failureThreshold": 4}""");
    AppProbe probe = new AppProbe("app", 0, AppProbe.Kind.READINESS, 8080, "/r", Optional.of("10.0.0.1"));
    assertThat(ProbeRewrites.rewritten(original, probe)).isEqualTo(Json.MAPPER.readTree("""
        {"httpGet": {"path": "/app-health/app/readyz", "port": 15021, "scheme": "HTTP",
          "httpHeaders": [{"name": "X-Probe", "value": "1"}]},
         "periodSeconds": 5, "timeoutSeconds": 2, "failureThreshold": 4}"""));
    assertThat(original.path("httpGet").path("port").asText()).as("the input is not mutated").isEqualTo("web");
  }

  @Test
  void patch_replacesEachMovedProbeByItsPath() throws IOException {
    PodView pod = view("""
        {"spec": {"containers": [{"name": "side"},
          {"name": "app", "startupProbe": {"httpGet": {"path": "/s", "port": 8080}}}]}}""");
    JsonPatch patch = new JsonPatch();
    ProbeRewrites.patch(pod, ProbeRewrites.find(pod, List.of(8080)), patch);
    assertThat(patch.operations()).hasSize(1);
    assertThat(patch.operations().get(0).path("op").asText()).isEqualTo("replace");
    assertThat(patch.operations().get(0).path("path").asText()).isEqualTo("/spec/containers/1/startupProbe");
    assertThat(patch.operations().get(0).path("value").path("httpGet").path("path").asText())
        .isEqualTo("/app-health/app/startupz");
  }

  private static List<AppProbe> find(String container, Integer... captured) throws IOException {
    return ProbeRewrites.find(view("{\"spec\": {\"containers\": [" + container + "]}}"), List.of(captured));
  }

  private static PodView view(String pod) throws IOException {
    return new PodView(Json.MAPPER.readTree(pod), "ml");
  }
}
