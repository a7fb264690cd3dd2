package dev.sluice.controlplane.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.controlplane.tracing.TracingProperties.Provider;
import dev.sluice.translate.TracingSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

class TracingPropertiesTest {

  @Test
  void defaults_areTracingOff_atOnePercent() {
    TracingProperties defaults = TracingProperties.defaults();

    assertThat(defaults.provider()).isEqualTo(Provider.NONE);
    assertThat(defaults.samplingPercent()).isEqualTo(1.0);
    assertThat(defaults.settings()).isEmpty();
  }

  @Test
  void openTelemetryAndZipkin_becomeTranslatorSettings() {
    assertThat(new TracingProperties(Provider.OPENTELEMETRY, "otel-collector.observability:4317", 2.5).settings())
        .contains(new TracingSettings(TracingSettings.Provider.OPENTELEMETRY, "otel-collector.observability", 4317, 2.5));
    assertThat(new TracingProperties(Provider.ZIPKIN, "10.0.0.9:9411", null).settings())
        .contains(new TracingSettings(TracingSettings.Provider.ZIPKIN, "10.0.0.9", 9411, 1));
    assertThat(new TracingProperties(Provider.ZIPKIN, "[fd00::9]:9411", 0.0001).settings())
        .hasValueSatisfying(s -> assertThat(s.collectorHost()).isEqualTo("fd00::9"));
  }

  @Test
  void aProviderWithoutAUsableCollector_isRefusedNamingTheProperty() {
    assertThatThrownBy(() -> new TracingProperties(Provider.OPENTELEMETRY, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sluice.tracing.collector is required").hasMessageContaining("opentelemetry");
    for (String bad : List.of("otel", "otel:", "otel:0", "otel:65536", "otel:port", ":4317", "http://otel:4317",
        "fd00::9:4317", "otel collector:4317")) {
      assertThatThrownBy(() -> new TracingProperties(Provider.ZIPKIN, bad, null)).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sluice.tracing.collector");
    }
  }

  @Test
  void samplingPercent_isChecked_evenWithTracingOff() {
    for (double bad : new double[] {-1, 100.01, Double.NaN}) {
      assertThatThrownBy(() -> new TracingProperties(null, null, bad)).as("%s", bad)
          .hasMessageContaining("sluice.tracing.sampling-percent").hasMessageContaining("between 0 and 100");
    }
    assertThatThrownBy(() -> new TracingProperties(null, null, 0.00001))
        .hasMessageContaining("sluice.tracing.sampling-percent").hasMessageContaining("decimals");
    assertThat(new TracingProperties(Provider.NONE, "ignored when off", 100.0).settings()).isEmpty();
  }
}
