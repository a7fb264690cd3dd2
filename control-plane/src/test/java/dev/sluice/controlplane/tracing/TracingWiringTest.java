package dev.sluice.controlplane.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.controlplane.RunningApp;
import dev.sluice.controlplane.SluiceApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** sluice.tracing.* is bound with its documented defaults, stops start-up when wrong, and reaches what gateways are sent. */
class TracingWiringTest {
  static final JsonMapper JSON = JsonMapper.builder().build();
  @TempDir Path store;

  @Test
  void withoutTracingProperties_theDocumentedDefaultsApply_tracingOff() {
    new ApplicationContextRunner()
        .withInitializer(new ConfigDataApplicationContextInitializer()) // reads application.yaml
        .withUserConfiguration(TracingConfiguration.class)
        .run(context -> {
          // application.yaml documents exactly the defaults the code applies
          assertThat(context.getBean(TracingProperties.class)).isEqualTo(TracingProperties.defaults());
          assertThat(context.getBean(TracingProperties.class).settings()).isEmpty();
        });
  }

  @Test
  void openTelemetryProperties_giveGatewaysATracer_theCollectorCluster_andTheRoutesOwnPercent() throws Exception {
    try (ConfigurableApplicationContext context = start("--sluice.tracing.provider=opentelemetry",
        "--sluice.tracing.collector=otel-collector.observability:4317", "--sluice.tracing.sampling-percent=2.5")) {
      JsonNode gateway = putAndPreview(context);

      JsonNode tracing = gateway.get("listeners").get(0).get("filterChains").get(0).get("filters").get(0)
          .get("typedConfig").get("tracing");
      assertThat(tracing.get("randomSampling").get("value").asDouble()).isEqualTo(2.5);
      assertThat(tracing.get("provider").get("name").asString()).isEqualTo("envoy.tracers.opentelemetry");
      assertThat(gateway.get("clusters").findValuesAsString("name")).contains("sluice|tracing-collector");
      JsonNode route = gateway.get("routes").get(0).get("virtualHosts").get(0).get("routes").get(0);
      assertThat(route.get("tracing").get("randomSampling").get("numerator").asInt()).isEqualTo(250_000);
    }
  }

  @Test
  void aProviderWithoutCollector_stopsStartUp_namingTheProperty() {
    new ApplicationContextRunner()
        .withUserConfiguration(TracingConfiguration.class)
        .withPropertyValues("sluice.tracing.provider=zipkin")
        .run(context -> assertThat(context).hasFailed().getFailure()
            .hasStackTraceContaining("sluice.tracing.collector is required when sluice.tracing.provider is zipkin"));
  }

  /** PUTs a route with spec.tracing and returns the gateway part of its Envoy preview. */
  private static JsonNode putAndPreview(ConfigurableApplicationContext context) throws Exception {
    String base = "http://127.0.0.1:" + context.getEnvironment().getRequiredProperty("local.server.port")
        + "/api/v1/namespaces/ml/modelroutes/scorer";
    String authorization = "Bearer " + java.nio.file.Files.readString(
        Path.of(context.getEnvironment().getRequiredProperty("sluice.store.path"), "admin-token")).strip();
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(base))
        .header("Content-Type", "application/json").header("Authorization", authorization)
        .PUT(HttpRequest.BodyPublishers.ofString("""
            {"spec": {"hosts": ["scorer.ml"], "port": 8080,
              "versions": [{"name": "v1", "weight": 100, "endpoints": ["10.0.0.1:8080"]}],
              "tracing": {"samplingPercent": 25}}}
            """)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    HttpResponse<String> envoy = http.send(HttpRequest.newBuilder(URI.create(base + "/envoy"))
        .header("Authorization", authorization).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(envoy.statusCode()).as(envoy.body()).isEqualTo(200);
    return JSON.readTree(envoy.body()).get("gateway:10000");
  }

  private ConfigurableApplicationContext start(String... extra) {
    return new SpringApplicationBuilder(SluiceApplication.class).run(RunningApp.arguments(store, extra));
  }
}
