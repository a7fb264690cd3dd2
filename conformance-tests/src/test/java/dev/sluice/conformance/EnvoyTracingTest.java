package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.opentelemetry.proto.trace.v1.Span;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * A real Envoy gateway tracing to an OpenTelemetry collector as {@code sluice.tracing.*} says: the
 * global percent (0 here) for routes that say nothing, a route's {@code spec.tracing.samplingPercent}
 * for its own. Skipped, with the reason, where no Envoy is found (an error on CI).
 */
class EnvoyTracingTest {
  private static final Logger log = LoggerFactory.getLogger(EnvoyTracingTest.class);
  static final String ROUTES = "/api/v1/namespaces/ml/modelroutes/";

  static OtlpCollector collector;

  @RegisterExtension static final EnvoySuite suite = EnvoySuite.gateway("envoy-tracing-1")
      .withControlPlane(store -> {
        collector = new OtlpCollector();
        ControlPlane cp = ControlPlane.prepare(store).withArgs("--sluice.tracing.provider=opentelemetry",
            "--sluice.tracing.collector=" + collector.endpoint(), "--sluice.tracing.sampling-percent=0");
        cp.start();
        return cp;
      });

  @AfterAll
  static void stopCollector() {
    if (collector != null) {
      collector.close();
    }
  }

  private static ControlPlane cp() {
    return suite.cp();
  }

  private static EnvoyGateway envoy() {
    return suite.envoy();
  }

  @Test
  @DisplayName("tracing: route sampling percent, spans to OTLP")
  void routeSamplingPercent_overridesTheGlobalPercent_andSpansReachTheCollector() throws Exception {
    try (HttpBackend quiet = new HttpBackend("quiet"); HttpBackend traced = new HttpBackend("traced")) {
      put("quiet", quiet.endpoint(), "");
      put("traced", traced.endpoint(), ", \"tracing\": {\"samplingPercent\": 100}");

      for (int i = 0; i < 20; i++) {
        assertThat(envoy().get("quiet.ml").status()).isEqualTo(200);
      }
      String tracedId = UUID.randomUUID().toString();
      for (int i = 0; i < 20; i++) {
        String id = i == 0 ? tracedId : UUID.randomUUID().toString();
        assertThat(envoy().get("traced.ml", Map.of("x-request-id", id)).status()).isEqualTo(200);
      }

      // Envoy exports batches every 5 s (or every 5 spans).
      List<Span> spans = await(Duration.ofSeconds(30), () -> {
        List<Span> all = collector.spans();
        return all.stream().anyMatch(s -> "ml|traced|v1".equals(OtlpCollector.attribute(s, "upstream_cluster")))
            ? all : null;
      });
      Thread.sleep(6000); // one more export interval, for any span of the quiet route to arrive
      spans = collector.spans();
      Set<String> clusters = spans.stream().map(s -> OtlpCollector.attribute(s, "upstream_cluster"))
          .filter(Objects::nonNull).collect(Collectors.toSet());
      log.info("{} spans, upstream clusters {}", spans.size(), clusters);
      assertThat(clusters).contains("ml|traced|v1").doesNotContain("ml|quiet|v1");

      // The access log names the same trace, and the span the same request id.
      JsonNode line = await(Duration.ofSeconds(15), () -> envoy().accessLog().stream()
          .filter(l -> tracedId.equals(l.path("request_id").asString(null))).findFirst().orElse(null));
      String traceId = line.get("trace_id").asString();
      assertThat(spans.stream().map(OtlpCollector::traceId)).contains(traceId);
      assertThat(spans.stream().filter(s -> OtlpCollector.traceId(s).equals(traceId))
          .map(s -> OtlpCollector.attribute(s, "guid:x-request-id"))).contains(tracedId);
    }
  }

  private static void put(String name, String endpoint, String policy) throws InterruptedException {
    ControlPlane.Response r = cp().put(ROUTES + name, "application/json", """
        {"spec": {"hosts": ["%s.ml"], "port": 8080,
          "versions": [{"name": "v1", "weight": 100, "endpoints": ["%s"]}]%s}}
        """.formatted(name, endpoint, policy));
    assertThat(r.status()).as("PUT %s: %s", name, r.body()).isIn(200, 201);
    envoy().awaitFirst200(name + ".ml", Duration.ofSeconds(30));
  }

  private interface Probe<T> {
    T get() throws Exception;
  }

  private static <T> T await(Duration timeout, Probe<T> probe) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      T value = probe.get();
      if (value != null) {
        return value;
      }
      Thread.sleep(250);
    }
    return fail("nothing within %s; Envoy log:%n%s", timeout, envoy().logs());
  }
}
