package dev.sluice.injector.inject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ValuesTest {

  @Test
  void quantities_acceptKubernetesFormsOnly() {
    for (String ok : List.of("100m", "1", "0.5", "128Mi", "1Gi", "2G", "1e3", ".5")) {
      assertThat(Values.isQuantity(ok)).as(ok).isTrue();
    }
    for (String bad : List.of("", "lots", "-1", "1 Gi", "1gi", "Mi", "1.2.3")) {
      assertThat(Values.isQuantity(bad)).as(bad).isFalse();
    }
  }

  @Test
  void cidrs_areIpv4WithPrefixOrBareAddresses() {
    assertThat(Values.cidr("10.0.0.0/8")).contains("10.0.0.0/8");
    assertThat(Values.cidr(" 169.254.169.254 ")).contains("169.254.169.254/32");
    for (String bad : List.of("10.0.0.0/33", "256.0.0.0/8", "fd00::/8", "10.0.0/8", "10.0.0.0/", "x")) {
      assertThat(Values.cidr(bad)).as(bad).isEqualTo(Optional.empty());
    }
  }

  @Test
  void ports_are1To65535() {
    assertThat(Values.port("8080")).hasValue(8080);
    assertThat(Values.port("0")).isEmpty();
    assertThat(Values.port("65536")).isEmpty();
    assertThat(Values.port("http")).isEmpty();
  }

  @Test
  void badSettings_areRefusedAtStartWithTheSettingNamed() {
    InjectorSettings d = InjectorSettings.defaults();
    assertThatThrownBy(() -> new InjectorSettings(d.controlPlaneNamespace(), d.sidecarMode(), d.captureMode(),
        d.proxyImage(), d.captureImage(), d.proxyCpu(), d.proxyMemory(), "loud", d.excludeOutboundCidrs(),
        d.xdsHost(), d.xdsPort(), d.xdsServerName(), d.rewriteProbes()))
        .hasMessageContaining("sluice.injector.proxy-log-level").hasMessageContaining("loud");
    assertThatThrownBy(() -> new InjectorSettings(d.controlPlaneNamespace(), d.sidecarMode(), d.captureMode(),
        d.proxyImage(), d.captureImage(), d.proxyCpu(), d.proxyMemory(), d.proxyLogLevel(), List.of("10/8"),
        d.xdsHost(), d.xdsPort(), d.xdsServerName(), d.rewriteProbes()))
        .hasMessageContaining("sluice.injector.exclude-outbound-cidrs");
  }
}
