package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.controlplane.measure.VersionMeasurements.FailurePolicy;
import dev.sluice.controlplane.measure.VersionMeasurements.VersionTotals;
import dev.sluice.controlplane.measure.VersionMeasurements.Window;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measurements from a real Envoy for a route under a rollout: Envoy's load reports (LRS) and its
 * access logs (ALS) reach the control plane and count each version's requests and failures
 * exactly, with latencies; the listener carrying the access log and the bootstrap's load-report
 * config are accepted (no NACK, the suite checks after each test).
 *
 * <p>The suite's gateway runs the bootstrap the REST API mints: it talks to the TLS port with its
 * token, so its load reports pass the same authentication as ADS, and its access logs, which carry
 * no credential, count because its authenticated ADS stream is open from the same address.
 */
class EnvoyMeasurementsTest {
  private static final Logger log = LoggerFactory.getLogger(EnvoyMeasurementsTest.class);
  static final String NODE = "envoy-measure-1";

  @RegisterExtension static final EnvoySuite suite = EnvoySuite.gateway(NODE)
      .withEnvoy(cp -> EnvoyGateway.startMinted(cp, NODE));

  /**
   * A route whose canary v2 the rollout engine holds at its one step (50 %) for an hour: the test
   * is over long before, and the split stays whatever it is. Failures are put on the stable v1, which
   * the engine does not judge, so that they never roll the canary back mid-test.
   */
  static String rolloutRoute(String name, String v1, String v2) {
    return """
        {"spec": {"hosts": ["%s.ml"], "port": 8080,
          "versions": [{"name": "v1", "weight": 50, "endpoints": ["%s"]},
                       {"name": "v2", "weight": 50, "endpoints": ["%s"]}],
          "rollout": {"canary": "v2", "steps": [50], "interval": "1h"}}}
        """.formatted(name, v1, v2);
  }

  /** Sends {@code n} requests for {@code host}: how many each version answered, by status ("v2 503"). */
  static Map<String, Integer> send(EnvoyGateway envoy, String host, int n) throws Exception {
    Map<String, Integer> seen = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      EnvoyGateway.Reply r = envoy.get(host);
      seen.merge(r.body() + " " + r.status(), 1, Integer::sum);
    }
    return seen;
  }

  /** The value of the one series of {@code metric} whose labels include {@code labels} (in Prometheus' order). */
  static long sample(String prometheus, String metric, String labels) {
    java.util.List<String> lines = prometheus.lines()
        .filter(l -> l.startsWith(metric + "{") && l.contains(labels) && l.contains("namespace=\"ml\"")).toList();
    assertThat(lines).as("series %s{...%s...}", metric, labels).hasSize(1);
    String line = lines.get(0);
    return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }

  @Test
  @DisplayName("rollout route on the TLS port: LRS and access logs count each version exactly")
  void loadReportsAndAccessLogs_countEachVersionsRequestsAndFailures() throws Exception {
    try (HttpBackend v1 = new HttpBackend("v1"); HttpBackend v2 = new HttpBackend("v2")) {
      v1.failureRate(0.2);
      suite.putRoute("measured", rolloutRoute("measured", v1.endpoint(), v2.endpoint()));
      Measurements m = new Measurements(suite.cp());
      Measurements.settle(); // the clusters are in Envoy's load reports, the first requests reported
      VersionTotals before1 = m.totals("ml|measured|v1");
      VersionTotals before2 = m.totals("ml|measured|v2");

      Map<String, Integer> seen = send(suite.envoy(), "measured.ml", 200);
      int v1Ok = seen.getOrDefault("v1 200", 0);
      int v1Failed = seen.getOrDefault("v1 503", 0);
      int v2Ok = seen.getOrDefault("v2 200", 0);
      log.info("200 requests through Envoy {}: {}", suite.runtime().version(), seen);
      assertThat(v1Ok + v1Failed + v2Ok).as("every answer is from a version: %s", seen).isEqualTo(200);
      assertThat(v1Failed).as("v1 fails some: %s", seen).isPositive();

      VersionTotals after1 = m.awaitSince("ml|measured|v1", before1,
          d -> d.envoyLrsRequests() >= v1Ok + v1Failed && d.logged() >= v1Ok + v1Failed, Duration.ofSeconds(20));
      VersionTotals after2 = m.awaitSince("ml|measured|v2", before2,
          d -> d.envoyLrsRequests() >= v2Ok && d.logged() >= v2Ok, Duration.ofSeconds(20));
      Measurements.Delta d1 = new Measurements.Delta(before1, after1);
      Measurements.Delta d2 = new Measurements.Delta(before2, after2);
      Window w1 = after1.since(before1, FailurePolicy.SERVER_ERRORS);
      Window w2 = after2.since(before2, FailurePolicy.SERVER_ERRORS);
      String stats = "access logs written/dropped: " + suite.envoy().stat("access_logs.grpc_access_log.logs_written")
          + "/" + suite.envoy().stat("access_logs.grpc_access_log.logs_dropped");
      log.info("v1: {}; window {}. v2: {}; window {}. {}", d1, w1, d2, w2, stats);
      suite.detail("v1 " + v1Ok + " ok + " + v1Failed + " 503, v2 " + v2Ok + " ok: LRS and ALS counted them exactly; "
          + "p99 v1 " + w1.p99Millis() + " ms, v2 " + w2.p99Millis() + " ms");

      assertThat(d1.envoyLrsRequests()).as("Envoy LRS, v1; %s", stats).isEqualTo(v1Ok + v1Failed);
      assertThat(d1.envoyLrsErrors()).as("Envoy LRS errors, v1: the 503s").isEqualTo(v1Failed);
      assertThat(d2.envoyLrsRequests()).as("Envoy LRS, v2").isEqualTo(v2Ok);
      assertThat(d2.envoyLrsErrors()).isZero();
      assertThat(d1.proxylessRequests() + d2.proxylessRequests()).as("an Envoy is not a proxyless client").isZero();
      assertThat(w1).as("ALS window v1; %s", stats).extracting(Window::requests, Window::failures, Window::latencySamples)
          .containsExactly((long) v1Ok + v1Failed, (long) v1Failed, (long) v1Ok + v1Failed);
      assertThat(w2).as("ALS window v2; %s", stats).extracting(Window::requests, Window::failures, Window::latencySamples)
          .containsExactly((long) v2Ok, 0L, (long) v2Ok);
      assertThat(w1.p99Millis()).as("a local backend answers within a second").isBetween(0.0, 1000.0);
      if (v2Ok > 0) {
        assertThat(w2.p99Millis()).isBetween(0.0, 1000.0);
      }

      String prometheus = suite.cp().raw(HttpRequest.newBuilder().GET(), "/actuator/prometheus").body();
      assertThat(sample(prometheus, "sluice_version_requests_total", "reporter=\"access_log\",route=\"measured\",version=\"v1\""))
          .as("the metric counts what the measurements hold").isEqualTo(after1.loggedRequests());
      assertThat(sample(prometheus, "sluice_version_errors_total", "reporter=\"envoy\",route=\"measured\",version=\"v1\""))
          .isEqualTo(after1.envoyLrsErrors());
      assertThat(sample(prometheus, "sluice_version_latency_seconds_count", "route=\"measured\",version=\"v1\""))
          .isEqualTo(after1.latencyMicros().getTotalCount());

      String config = java.nio.file.Files.readString(suite.envoy().dumpConfig("measurements"));
      assertThat(config).as("the listener with the access log is active in Envoy")
          .contains("envoy.access_loggers.http_grpc").contains("load_stats_config");
      assertThat(suite.envoy().stat("load_reporter.requests")).as("Envoy took the control plane's LRS answer").isPositive();
      assertThat(ProxyStatus.of(suite.cp(), NODE).hasAckedAll()).isTrue();
    }
  }

  @Test
  @DisplayName("bootstrap without a sluice-xds cluster: the access log is accepted, LRS counts stand in")
  void aBootstrapWithoutTheXdsClusterName_acceptsTheAccessLog_andTheLoadReportsStandIn() throws Exception {
    String node = "envoy-measure-legacy";
    try (HttpBackend v1 = new HttpBackend("v1"); HttpBackend v2 = new HttpBackend("v2");
        EnvoyGateway legacy = EnvoyGateway.start(suite.cp(), node, "xds_cluster")) {
      ControlPlane.Response r = suite.cp().put("/api/v1/namespaces/ml/modelroutes/legacy", "application/json",
          rolloutRoute("legacy", v1.endpoint(), v2.endpoint()));
      assertThat(r.status()).as("PUT: %s", r.body()).isEqualTo(201);
      legacy.awaitFirst200("legacy.ml", Duration.ofSeconds(30));
      Measurements m = new Measurements(suite.cp());
      Measurements.settle();
      VersionTotals before = m.totals("ml|legacy|v1");
      VersionTotals before2 = m.totals("ml|legacy|v2");

      Map<String, Integer> seen = send(legacy, "legacy.ml", 60);
      int v1Ok = seen.getOrDefault("v1 200", 0);
      int v2Ok = seen.getOrDefault("v2 200", 0);
      VersionTotals after = m.awaitSince("ml|legacy|v1", before, d -> d.envoyLrsRequests() >= v1Ok, Duration.ofSeconds(20));
      VersionTotals after2 = m.awaitSince("ml|legacy|v2", before2, d -> d.envoyLrsRequests() >= v2Ok, Duration.ofSeconds(20));
      Window w1 = after.since(before, FailurePolicy.SERVER_ERRORS);
      Window w2 = after2.since(before2, FailurePolicy.SERVER_ERRORS);
      log.info("legacy bootstrap, Envoy {}: {}; v1 {} ({}), v2 {} ({})", suite.runtime().version(), seen, w1,
          new Measurements.Delta(before, after), w2, new Measurements.Delta(before2, after2));
      suite.detail("60 requests; no NACK; windows from Envoy's load reports: " + w1.requests() + " + " + w2.requests());

      ProxyStatus status = ProxyStatus.of(suite.cp(), node);
      assertThat(status.nacks()).as("NACKs: %s", status.lastNacks()).isZero();
      assertThat(status.hasAckedAll()).isTrue();
      assertThat(java.nio.file.Files.readString(legacy.dumpConfig("legacy")))
          .contains("envoy.access_loggers.http_grpc");
      assertThat(seen.keySet()).isSubsetOf("v1 200", "v2 200");
      assertThat(new Measurements.Delta(before, after).logged() + new Measurements.Delta(before2, after2).logged())
          .as("no access log reaches the control plane without the sluice-xds cluster").isZero();
      assertThat(w1.requests()).isEqualTo(v1Ok);
      assertThat(w2.requests()).isEqualTo(v2Ok);
      assertThat(w1.p99Millis()).isNull();
    } finally {
      suite.cp().delete("/api/v1/namespaces/ml/modelroutes/legacy");
    }
  }
}
