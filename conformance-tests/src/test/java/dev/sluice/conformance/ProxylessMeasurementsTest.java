package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.controlplane.measure.VersionMeasurements.FailurePolicy;
import dev.sluice.controlplane.measure.VersionMeasurements.VersionTotals;
import dev.sluice.controlplane.measure.VersionMeasurements.Window;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measurements from proxyless gRPC clients: for a route under a rollout their clusters carry
 * {@code lrs_server: self}, which each client family accepts (no NACK) and acts on, reporting every
 * call to each version, and every call that ended with a status but OK, to the xDS server.
 */
class ProxylessMeasurementsTest {
  private static final Logger log = LoggerFactory.getLogger(ProxylessMeasurementsTest.class);
  static final String ROUTES = "/api/v1/namespaces/ml/modelroutes/";

  @RegisterExtension static final ConformanceReport.Watcher report = ConformanceReport.watcher();

  @TempDir static Path store;
  static ControlPlane cp;
  static TaggedBackend v1;
  static TaggedBackend v2;

  @BeforeAll
  static void start() {
    cp = ControlPlane.start(store);
    v1 = new TaggedBackend("v1");
    v2 = new TaggedBackend("v2");
    v1.failureRate(0.2); // the stable version: the rollout engine judges only the canary, v2
  }

  @AfterAll
  static void stop() throws InterruptedException {
    v1.close();
    v2.close();
    cp.close();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ClientFamily.class)
  void loadReports_countEachVersionsCallsAndFailures(ClientFamily family) throws Exception {
    String name = "measured-" + family.id;
    ControlPlane.Response put = cp.put(ROUTES + name, "application/json", """
        {"spec": {"hosts": ["%s.ml"], "port": 50051, "protocol": "GRPC",
          "versions": [{"name": "v1", "weight": 50, "endpoints": ["127.0.0.1:%d"]},
                       {"name": "v2", "weight": 50, "endpoints": ["127.0.0.1:%d"]}],
          "rollout": {"canary": "v2", "steps": [50], "interval": "1h"}}}
        """.formatted(name, v1.port(), v2.port()));
    assertThat(put.status()).as("PUT: %s", put.body()).isEqualTo(201);
    String c1 = "ml|" + name + "|v1";
    String c2 = "ml|" + name + "|v2";
    try (XdsClient client = family.open(cp, name + "-client", name + ".ml")) {
      ProxylessClientsTest.awaitServing(cp, client);
      Measurements m = new Measurements(cp);
      Measurements.settle();
      VersionTotals before1 = m.totals(c1);
      VersionTotals before2 = m.totals(c2);

      List<String> results = client.calls(200, Map.of());
      Map<String, Long> seen = ProxylessClientsTest.tally(results);
      long ok1 = seen.getOrDefault("v1", 0L);
      long ok2 = seen.getOrDefault("v2", 0L);
      long failed = seen.getOrDefault("error:UNAVAILABLE", 0L); // only v1 fails
      assertThat(ok1 + ok2 + failed).as("every call reached a version: %s", seen).isEqualTo(200);

      VersionTotals after1 = m.awaitSince(c1, before1, d -> d.proxylessRequests() >= ok1 + failed, Duration.ofSeconds(20));
      VersionTotals after2 = m.awaitSince(c2, before2, d -> d.proxylessRequests() >= ok2, Duration.ofSeconds(20));
      Measurements.Delta d1 = new Measurements.Delta(before1, after1);
      Measurements.Delta d2 = new Measurements.Delta(before2, after2);
      Window w1 = after1.since(before1, FailurePolicy.SERVER_ERRORS);
      log.info("{}: 200 calls {}; v1 {}; v2 {}; window v1 {}", client.family(), seen, d1, d2, w1);
      report.detail("v1 " + ok1 + " ok + " + failed + " UNAVAILABLE, v2 " + ok2 + " ok: reported exactly");

      ProxyStatus status = ProxyStatus.of(cp, client.nodeId());
      assertThat(status.nacks()).as("NACKs: %s", status.lastNacks()).isZero();
      assertThat(failed).as("v1 fails some: %s", seen).isPositive();
      assertThat(d1.proxylessRequests()).isEqualTo(ok1 + failed);
      assertThat(d1.proxylessErrors()).isEqualTo(failed);
      assertThat(d2.proxylessRequests()).isEqualTo(ok2);
      assertThat(d2.proxylessErrors()).isZero();
      assertThat(d1.envoyLrsRequests() + d2.envoyLrsRequests()).as("a gRPC client is not an Envoy").isZero();
      assertThat(w1.requests()).isEqualTo(ok1 + failed);
      assertThat(w1.failures()).isEqualTo(failed);
      assertThat(w1.p99Millis()).as("load reports carry no latency").isNull();
    } finally {
      cp.delete(ROUTES + name);
    }
  }
}
