package dev.sluice.controlplane.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MeasurePropertiesTest {

  @Test
  void defaults_reportEverySecond_boundTenThousandVersions_forgetAfterAnHour_takePlaintextReports() {
    MeasureProperties p = MeasureProperties.defaults();

    assertThat(p.loadReportInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.maxClusters()).isEqualTo(10_000);
    assertThat(p.forgetAfter()).isEqualTo(Duration.ofHours(1));
    assertThat(p.plaintextReports()).isTrue();
  }

  @Test
  void aLoadReportIntervalUnderASecond_isRefusedAtStart() {
    assertThatThrownBy(() -> new MeasureProperties(Duration.ofMillis(500), null, null, null))
        .hasMessageContaining("sluice.measure.load-report-interval must be at least 1s");
    assertThatThrownBy(() -> new MeasureProperties(null, 0, null, null)).hasMessageContaining("max-clusters");
    assertThatThrownBy(() -> new MeasureProperties(null, null, Duration.ZERO, null)).hasMessageContaining("forget-after");
  }
}
