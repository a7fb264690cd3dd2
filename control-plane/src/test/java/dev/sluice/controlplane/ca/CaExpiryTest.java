package dev.sluice.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class CaExpiryTest {
  static final Instant T0 = Instant.parse("2031-05-01T12:00:00Z");
  static final CaProperties HUNDRED_DAY_ROOT =
      new CaProperties(null, null, null, Duration.ofDays(100), null, null, null, null, null, null, null, null);
  final CaRoot root = CaRoot.generate(HUNDRED_DAY_ROOT, Clock.fixed(T0, ZoneOffset.UTC));

  @Test
  void rootWithLessThan20PercentLeft_warnsWithItsNotAfter_andTheGaugesShowIt(CapturedOutput output) {
    CaExpiry expiry = expiryAt(T0.plus(Duration.ofDays(90)));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    expiry.bindTo(registry);

    assertThat(expiry.check()).isTrue();
    assertThat(output.getOut()).contains("WARN").contains("CN=Sluice Root CA")
        .contains("expires at " + T0.plus(Duration.ofDays(100)));
    assertThat(registry.get("sluice.ca.root.expiry").gauge().value()).isEqualTo(Duration.ofDays(10).toSeconds());
    assertThat(registry.get("sluice.ca.root.remaining.ratio").gauge().value()).isCloseTo(0.1, within(0.001));
  }

  @Test
  void freshRoot_doesNotWarn_andHasAllItsLifeLeft(CapturedOutput output) {
    CaExpiry expiry = expiryAt(T0);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    expiry.bindTo(registry);

    assertThat(expiry.check()).isFalse();
    assertThat(output.getOut()).doesNotContain("WARN");
    assertThat(registry.get("sluice.ca.root.remaining.ratio").gauge().value()).isCloseTo(1.0, within(0.001));
  }

  @Test
  void justAbove20Percent_doesNotWarn_justBelow_does() {
    assertThat(expiryAt(T0.plus(Duration.ofDays(79))).check()).isFalse();
    assertThat(expiryAt(T0.plus(Duration.ofDays(81))).check()).isTrue();
  }

  @Test
  void gauges_areExportedToPrometheusInSeconds() {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    expiryAt(T0).bindTo(prometheus);

    assertThat(prometheus.scrape()).contains("sluice_ca_root_expiry_seconds ").contains("sluice_ca_root_remaining_ratio ");
  }

  private CaExpiry expiryAt(Instant now) {
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    return new CaExpiry(new CertificateAuthority(root, HUNDRED_DAY_ROOT, clock), clock);
  }
}
