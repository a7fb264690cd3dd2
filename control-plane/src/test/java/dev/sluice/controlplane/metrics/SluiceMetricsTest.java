package dev.sluice.controlplane.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SluiceMetricsTest {

  @Test
  void everyWriteResult_isACounterFromTheStart_andCountsOnePerCall() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    SluiceMetrics metrics = new SluiceMetrics(registry);

    for (String result : SluiceMetrics.WRITE_RESULTS) {
      assertThat(registry.get("sluice.store.writes").tag("result", result).counter().count()).as(result).isZero();
    }
    metrics.storeWrite(SluiceMetrics.CREATED);
    metrics.storeWrite(SluiceMetrics.CONFLICT);
    metrics.storeWrite(SluiceMetrics.CONFLICT);

    assertThat(registry.get("sluice.store.writes").tag("result", "created").counter().count()).isEqualTo(1);
    assertThat(registry.get("sluice.store.writes").tag("result", "conflict").counter().count()).isEqualTo(2);
    assertThat(registry.get("sluice.store.writes").tag("result", "updated").counter().count()).isZero();
  }

  @Test
  void translationTimers_areOnePerPhase() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    SluiceMetrics metrics = new SluiceMetrics(registry);

    String out = metrics.translation(SluiceMetrics.PHASE_PUBLISH).record(() -> "translated");
    metrics.translation(SluiceMetrics.PHASE_WRITE).record(Duration.ofMillis(3));

    assertThat(out).isEqualTo("translated");
    assertThat(registry.get("sluice.translation").tag("phase", "publish").timer().count()).isEqualTo(1);
    assertThat(registry.get("sluice.translation").tag("phase", "write").timer().count()).isEqualTo(1);
    assertThat(metrics.translation("write")).isSameAs(metrics.translation(SluiceMetrics.PHASE_WRITE));
  }

  @Test
  void unknownTagValues_areRefused_soTheSeriesStayAFixedSet() {
    SluiceMetrics metrics = new SluiceMetrics(new SimpleMeterRegistry());

    assertThatThrownBy(() -> metrics.storeWrite("ok")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("created");
    assertThatThrownBy(() -> metrics.translation("preview")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("publish");
  }

  @Test
  void prometheusNames_areTheDocumentedOnes_withATranslationHistogram() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    SluiceMetrics metrics = new SluiceMetrics(registry);
    metrics.storeWrite(SluiceMetrics.UNCHANGED);
    metrics.translation(SluiceMetrics.PHASE_PUBLISH).record(Duration.ofMillis(2));

    String scrape = registry.scrape();

    assertThat(scrape).contains("sluice_store_writes_total{result=\"unchanged\"} 1.0")
        .contains("sluice_store_writes_total{result=\"deleted\"} 0.0")
        .contains("sluice_translation_seconds_count{phase=\"publish\"} 1")
        .contains("sluice_translation_seconds_count{phase=\"write\"} 0")
        .contains("sluice_translation_seconds_bucket{phase=\"publish\",le=\"0.001048576\"} 0")
        .contains("sluice_translation_seconds_bucket{phase=\"publish\",le=\"0.002446676\"} 1")
        .contains("sluice_translation_seconds_bucket{phase=\"publish\",le=\"10.0\"} 1");
  }
}
