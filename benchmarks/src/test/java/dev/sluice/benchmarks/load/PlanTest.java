package dev.sluice.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A plan narrowed or resized by the load tool's {@code key=value} arguments. */
class PlanTest {

  @Test
  void warmUps_setsTheChangesBeforeMeasuringAtEachLaterSize_andLeavesTheSliceChurnAlone() {
    Plan plan = Plan.steady().with(List.of("sotw", "warmUps=100"));
    assertThat(plan.warmUps()).isEqualTo(100);
    assertThat(Plan.steady().warmUps()).isEqualTo(20);
    assertThat(Plan.full().warmUps()).isEqualTo(1);

    Plan k8s = Plan.k8s().with(List.of("warmUps=5", "proxies=50"));
    assertThat(k8s.warmUps()).isEqualTo(5);
    assertThat(k8s.sliceChurns()).allSatisfy(c -> assertThat(c.proxies()).isEqualTo(50));
  }

  @Test
  void anUnknownSetting_isRefused() {
    assertThatThrownBy(() -> Plan.k8s().with(List.of("warmups=5"))).hasMessageContaining("unknown setting warmups=5");
  }

  @Test
  void tls_putsSluicesProxiesOnItsTlsPort_andIsOffByDefault() {
    assertThat(Plan.steady().tls()).isFalse();
    assertThat(Plan.full().with(List.of("b3", "sotw")).tls()).isFalse();
    Plan plan = Plan.steady().with(List.of("sotw", "tls", "warmUps=5"));
    assertThat(plan.tls()).isTrue();
    assertThat(plan.warmUps()).isEqualTo(5);
  }
}
