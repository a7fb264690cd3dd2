package dev.sluice.controlplane.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.controlplane.RunningApp;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metrics a running control plane shows at {@code /actuator/prometheus} after writes through its API. */
class MetricsEndpointTest {
  static final String JSON = "application/json";
  @TempDir Path store;

  static String route(String host, int w1) {
    return """
        {"spec": {"hosts": ["%s"], "port": 8080,
          "versions": [{"name": "v1", "weight": %d, "endpoints": ["10.0.0.1:80"]},
                       {"name": "v2", "weight": %d, "endpoints": ["10.0.0.2:80"]}]}}
        """.formatted(host, w1, 100 - w1);
  }

  @Test
  void writes_countByResult_routesAreGaugedPerNamespace_andWriteTranslationIsTimed() {
    try (RunningApp app = RunningApp.start(store)) {
      String a1 = "/api/v1/namespaces/team-a/modelroutes/one";
      String a2 = "/api/v1/namespaces/team-a/modelroutes/two";
      String b1 = "/api/v1/namespaces/team-b/modelroutes/one";
      assertThat(app.send("PUT", a1, JSON, route("one.a", 100)).statusCode()).isEqualTo(201);
      assertThat(app.send("PUT", a2, JSON, route("two.a", 100)).statusCode()).isEqualTo(201);
      assertThat(app.send("PUT", b1, JSON, route("one.b", 100)).statusCode()).isEqualTo(201);
      assertThat(app.send("PUT", a1, JSON, route("one.a", 100)).statusCode()).isEqualTo(200); // identical
      assertThat(app.send("PUT", a1, JSON, route("one.a", 90)).statusCode()).isEqualTo(200);
      assertThat(app.send("PUT", a1 + "/weights", JSON, "{\"v1\": 80, \"v2\": 20}").statusCode()).isEqualTo(200);
      assertThat(app.send("PUT", a1, JSON, route("one.a", 130)).statusCode()).isEqualTo(422);
      assertThat(app.send("PUT", a1, JSON, route("one.a", 50), "If-Match", "\"1\"").statusCode()).isEqualTo(409);
      assertThat(app.send("PUT", a2 + "?dryRun=All", JSON, route("two.a", 10)).statusCode()).isEqualTo(200); // not counted
      String before = app.get("/actuator/prometheus").body();
      assertThat(value(before, "sluice_routes", "namespace=\"team-b\"")).hasValue(1.0);

      assertThat(app.send("DELETE", b1, null, null).statusCode()).isEqualTo(200);

      String scrape = awaitScrape(app, s -> value(s, "sluice_store_writes_total", "result=\"deleted\"").orElse(0.0) == 1.0);
      assertThat(value(scrape, "sluice_store_writes_total", "result=\"created\"")).hasValue(3.0);
      assertThat(value(scrape, "sluice_store_writes_total", "result=\"unchanged\"")).hasValue(1.0);
      assertThat(value(scrape, "sluice_store_writes_total", "result=\"updated\"")).hasValue(2.0);
      assertThat(value(scrape, "sluice_store_writes_total", "result=\"rejected\"")).hasValue(1.0);
      assertThat(value(scrape, "sluice_store_writes_total", "result=\"conflict\"")).hasValue(1.0);
      assertThat(value(scrape, "sluice_store_writes_total", "result=\"deleted\"")).hasValue(1.0);
      assertThat(value(scrape, "sluice_store_writes_total", "result=\"failed\"")).hasValue(0.0);

      assertThat(value(scrape, "sluice_routes", "namespace=\"team-a\"")).hasValue(2.0);
      assertThat(value(scrape, "sluice_routes", "namespace=\"team-b\"")).as("a namespace without routes has no series").isEmpty();

      // Two proxy groups are previewed per write that reaches translation: 3 created, 1 identical, 2
      // updated, the 409 (the store finds the stale resourceVersion after translation) and the dry
      // run. The 422 is refused by validation, before it.
      assertThat(value(scrape, "sluice_translation_seconds_count", "phase=\"write\"")).hasValue(16.0);
      assertThat(scrape).containsPattern("sluice_translation_seconds_bucket\\{[^}]*phase=\"write\"[^}]*} ")
          .contains("sluice_translation_seconds_count{application=\"sluice\",phase=\"publish\"}");
    }
  }

  private static String awaitScrape(RunningApp app, java.util.function.Predicate<String> ready) {
    // Counted as each request ends, which may be just after the client has its response.
    long deadline = System.nanoTime() + 5_000_000_000L;
    String scrape = app.get("/actuator/prometheus").body();
    while (!ready.test(scrape) && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
      scrape = app.get("/actuator/prometheus").body();
    }
    return scrape;
  }

  /** The value of the one series of {@code name} whose labels include {@code label}. */
  static Optional<Double> value(String scrape, String name, String label) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)} (\\S+)$").matcher(scrape);
    Optional<Double> found = Optional.empty();
    while (m.find()) {
      if (m.group(1).contains(label)) {
        assertThat(found).as("one series of %s with %s", name, label).isEmpty();
        found = Optional.of(Double.parseDouble(m.group(2)));
      }
    }
    return found;
  }
}
