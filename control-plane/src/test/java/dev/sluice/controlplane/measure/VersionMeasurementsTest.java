package dev.sluice.controlplane.measure;

import dev.sluice.controlplane.xds.MutableClock;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.controlplane.measure.VersionMeasurements.FailurePolicy;
import dev.sluice.controlplane.measure.VersionMeasurements.Outcome;
import dev.sluice.controlplane.measure.VersionMeasurements.Reporter;
import dev.sluice.controlplane.measure.VersionMeasurements.VersionTotals;
import dev.sluice.controlplane.measure.VersionMeasurements.Window;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VersionMeasurementsTest {
  static final String V1 = "ml|scorer|v1";
  static final String V2 = "ml|scorer|v2";
  static final Outcome OK = new Outcome(200, -1);
  static final Outcome UNAVAILABLE = new Outcome(503, -1);
  static final Outcome GRPC_INTERNAL = new Outcome(200, 13);

  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  VersionMeasurements measurements(MeasureProperties properties) {
    return new VersionMeasurements(clock, properties, VersionMetrics.unregistered());
  }

  @Test
  void totalsOfAClusterNeverReported_areZeros_notNull() {
    VersionTotals t = measurements(MeasureProperties.defaults()).totals(V1);

    assertThat(t.envoyLrsRequests()).isZero();
    assertThat(t.logged()).isEmpty();
    assertThat(t.latencyMicros().getTotalCount()).isZero();
    assertThat(t.since(VersionTotals.empty(), FailurePolicy.SERVER_ERRORS)).isEqualTo(new Window(0, 0, null, 0));
  }

  @Test
  void loadReportDeltas_areSummedPerClusterAndReporter() {
    VersionMeasurements m = measurements(MeasureProperties.defaults());
    m.loadReport(V1, Reporter.ENVOY, 10, 1);
    m.loadReport(V1, Reporter.ENVOY, 5, 2);
    m.loadReport(V1, Reporter.PROXYLESS, 7, 3);
    m.loadReport(V2, Reporter.ENVOY, 4, 0);

    VersionTotals v1 = m.totals(V1);
    assertThat(v1.envoyLrsRequests()).isEqualTo(15);
    assertThat(v1.envoyLrsErrors()).isEqualTo(3);
    assertThat(v1.proxylessRequests()).isEqualTo(7);
    assertThat(v1.proxylessErrors()).isEqualTo(3);
    assertThat(m.totals(V2).envoyLrsRequests()).isEqualTo(4);
    assertThat(m.clusters()).containsExactly(V1, V2);
  }

  @Test
  void onlyVersionClusters_areKept() {
    VersionMeasurements m = measurements(MeasureProperties.defaults());
    for (String other : new String[] {"sluice-xds", "inbound|8080", "sluice|passthrough", "a|b|c|d", "|b|c", "a||c", "a|b|"}) {
      m.loadReport(other, Reporter.ENVOY, 1, 0);
      m.logged(other, OK, 10);
    }
    assertThat(m.clusters()).isEmpty();
  }

  @Test
  void window_classifiesLoggedOutcomesByThePolicy_andAddsProxylessLoad() {
    VersionMeasurements m = measurements(MeasureProperties.defaults());
    m.logged(V1, OK, 1_000);
    VersionTotals before = m.totals(V1);
    for (int i = 0; i < 90; i++) {
      m.logged(V1, OK, 1_000);
    }
    for (int i = 0; i < 6; i++) {
      m.logged(V1, UNAVAILABLE, 1_000);
    }
    for (int i = 0; i < 4; i++) {
      m.logged(V1, GRPC_INTERNAL, 1_000);
    }
    m.loadReport(V1, Reporter.PROXYLESS, 50, 5);
    m.loadReport(V1, Reporter.ENVOY, 100, 6); // the cross-check: not added to the logged requests

    Window all = m.totals(V1).since(before, FailurePolicy.SERVER_ERRORS);
    Window onlyHttp = m.totals(V1).since(before, o -> o.httpStatus() >= 500);

    assertThat(all.requests()).isEqualTo(150);
    assertThat(all.failures()).isEqualTo(15);
    assertThat(onlyHttp.requests()).isEqualTo(150);
    assertThat(onlyHttp.failures()).isEqualTo(11);
    assertThat(all.latencySamples()).isEqualTo(100);
  }

  @Test
  void window_usesEnvoysLoadReports_whenNoAccessLogArrived() {
    VersionMeasurements m = measurements(MeasureProperties.defaults());
    m.logged(V1, OK, 1_000); // before the window: logs came once, then stopped
    VersionTotals before = m.totals(V1);
    m.loadReport(V1, Reporter.ENVOY, 40, 4);
    m.loadReport(V1, Reporter.PROXYLESS, 10, 1);

    Window w = m.totals(V1).since(before, o -> false);

    assertThat(w.requests()).isEqualTo(50);
    assertThat(w.failures()).as("Envoy's own errors, whatever the policy, plus the proxyless ones").isEqualTo(5);
    assertThat(w.p99Millis()).isNull();
    assertThat(w.latencySamples()).isZero();
  }

  @Test
  void p99_comesFromTheLatenciesOfTheWindowAlone() {
    VersionMeasurements m = measurements(MeasureProperties.defaults());
    for (int i = 0; i < 1000; i++) {
      m.logged(V1, OK, 900_000); // 900 ms, before the window
    }
    VersionTotals before = m.totals(V1);
    for (int i = 0; i < 990; i++) {
      m.logged(V1, OK, 10_000); // 10 ms
    }
    for (int i = 0; i < 10; i++) {
      m.logged(V1, OK, 250_000); // 250 ms: the slowest 1 %
    }
    m.logged(V1, new Outcome(503, -1), -1); // no answer from the server: counted, no latency

    Window w = m.totals(V1).since(before, FailurePolicy.SERVER_ERRORS);

    assertThat(w.latencySamples()).isEqualTo(1000);
    assertThat(w.requests()).isEqualTo(1001);
    assertThat(w.failures()).isEqualTo(1);
    assertThat(w.p99Millis()).isCloseTo(10.0, within(0.1)); // 99 % of samples are at 10 ms
    Window withTail = m.totals(V1).since(before, FailurePolicy.SERVER_ERRORS);
    assertThat(withTail.p99Millis()).isLessThan(250.0);
    for (int i = 0; i < 20; i++) {
      m.logged(V1, OK, 250_000);
    }
    assertThat(m.totals(V1).since(before, FailurePolicy.SERVER_ERRORS).p99Millis()).isCloseTo(250.0, within(2.5));
  }

  @Test
  void totals_areCopies_thatLaterReportsDoNotChange() {
    VersionMeasurements m = measurements(MeasureProperties.defaults());
    m.logged(V1, OK, 5_000);
    VersionTotals t = m.totals(V1);
    m.logged(V1, OK, 5_000);
    t.latencyMicros().recordValue(1); // the caller's own copy

    assertThat(t.logged()).containsExactly(Map.entry(OK, 1L));
    assertThat(t.latencyMicros().getTotalCount()).isEqualTo(2);
    assertThat(m.totals(V1).latencyMicros().getTotalCount()).isEqualTo(2);
    assertThat(m.totals(V1).logged()).containsExactly(Map.entry(OK, 2L));
  }

  @Test
  void aForgottenVersion_startsAgainFromZero_andItsWindowCountsWhatCameSince() {
    VersionMeasurements m = measurements(new MeasureProperties(null, null, Duration.ofMinutes(10), null));
    for (int i = 0; i < 30; i++) {
      m.logged(V1, OK, 2_000);
    }
    m.loadReport(V1, Reporter.ENVOY, 30, 0);
    VersionTotals before = m.totals(V1);
    clock.advance(Duration.ofMinutes(11));
    m.forgetIdle();
    assertThat(m.clusters()).isEmpty();
    m.logged(V1, UNAVAILABLE, 2_000);
    m.loadReport(V1, Reporter.ENVOY, 1, 1);

    Window w = m.totals(V1).since(before, FailurePolicy.SERVER_ERRORS);

    assertThat(w).isEqualTo(new Window(1, 1, w.p99Millis(), 1));
  }

  @Test
  void theNumberOfVersions_isBounded_andIdleOnesMakeRoom() {
    VersionMeasurements m = measurements(new MeasureProperties(null, 2, Duration.ofMinutes(10), null));
    m.loadReport(V1, Reporter.ENVOY, 1, 0);
    clock.advance(Duration.ofMinutes(6));
    m.loadReport(V2, Reporter.ENVOY, 1, 0);
    m.loadReport("ml|scorer|v3", Reporter.ENVOY, 1, 0);

    assertThat(m.clusters()).containsExactly(V1, V2);
    assertThat(m.dropped()).isEqualTo(1);
    assertThat(m.totals("ml|scorer|v3").envoyLrsRequests()).isZero();

    clock.advance(Duration.ofMinutes(6)); // v1 idle for 12 minutes, v2 for 6
    m.loadReport("ml|scorer|v3", Reporter.ENVOY, 1, 0);
    assertThat(m.clusters()).containsExactly(V2, "ml|scorer|v3");
  }

  @Test
  void acceptOnly_dropsReportsForOtherClusters_andForgetsTheirTotalsAndSeries() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    VersionMeasurements m = new VersionMeasurements(clock, MeasureProperties.defaults(), new VersionMetrics(registry));
    m.loadReport(V1, Reporter.ENVOY, 5, 0);
    m.logged(V2, OK, 1_000);

    m.acceptOnly(java.util.Set.of(V1));
    m.logged(V2, OK, 1_000);
    m.loadReport(V1, Reporter.ENVOY, 5, 0);

    assertThat(m.clusters()).containsExactly(V1);
    assertThat(m.totals(V1).envoyLrsRequests()).isEqualTo(10);
    assertThat(m.totals(V2).loggedRequests()).isZero();
    assertThat(registry.scrape()).contains("version=\"v1\"").doesNotContain("version=\"v2\"");
  }

  @Test
  void metrics_countPerVersionAndReporter_withALatencyHistogram() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    VersionMeasurements m = new VersionMeasurements(clock, MeasureProperties.defaults(), new VersionMetrics(registry));
    m.loadReport(V1, Reporter.ENVOY, 10, 2);
    m.loadReport(V1, Reporter.PROXYLESS, 3, 1);
    m.logged(V1, OK, 20_000);
    m.logged(V1, GRPC_INTERNAL, 20_000);

    String scrape = registry.scrape();

    assertThat(scrape)
        .contains("sluice_version_requests_total{namespace=\"ml\",reporter=\"envoy\",route=\"scorer\",version=\"v1\"} 10.0")
        .contains("sluice_version_errors_total{namespace=\"ml\",reporter=\"envoy\",route=\"scorer\",version=\"v1\"} 2.0")
        .contains("sluice_version_requests_total{namespace=\"ml\",reporter=\"proxyless\",route=\"scorer\",version=\"v1\"} 3.0")
        .contains("sluice_version_requests_total{namespace=\"ml\",reporter=\"access_log\",route=\"scorer\",version=\"v1\"} 2.0")
        .contains("sluice_version_errors_total{namespace=\"ml\",reporter=\"access_log\",route=\"scorer\",version=\"v1\"} 1.0")
        .contains("sluice_version_latency_seconds_bucket{namespace=\"ml\",route=\"scorer\",version=\"v1\",le=\"0.025\"} 2")
        .contains("sluice_version_latency_seconds_count{namespace=\"ml\",route=\"scorer\",version=\"v1\"} 2");

    clock.advance(Duration.ofHours(2));
    m.forgetIdle();
    assertThat(registry.scrape()).doesNotContain("sluice_version_");
  }
}
