package dev.sluice.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class XdsPropertiesTest {
  static XdsProperties withSlowPublication(Duration slow) {
    return new XdsProperties(null, null, null, null, null, null, null, slow);
  }

  @Test
  void slowPublication_defaultsToOneSecond() {
    assertThat(withSlowPublication(null).slowPublication()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void slowPublicationThatIsNotPositive_isRejectedNamingTheProperty() {
    assertThatThrownBy(() -> withSlowPublication(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sluice.xds.slow-publication");
    assertThatThrownBy(() -> withSlowPublication(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sluice.xds.slow-publication");
  }
}
