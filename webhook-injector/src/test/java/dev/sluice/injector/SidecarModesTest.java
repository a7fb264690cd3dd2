package dev.sluice.injector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.injector.inject.SidecarMode;
import org.junit.jupiter.api.Test;

class SidecarModesTest {

  @Test
  void auto_isNativeFrom129_classicBefore() {
    assertThat(SidecarModes.forVersion("1", "29")).isEqualTo(SidecarMode.NATIVE);
    assertThat(SidecarModes.forVersion("1", "37+")).isEqualTo(SidecarMode.NATIVE);
    assertThat(SidecarModes.forVersion("1", "28")).isEqualTo(SidecarMode.CLASSIC);
    assertThat(SidecarModes.resolve("classic")).isEqualTo(SidecarMode.CLASSIC);
  }
}
