package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.injector.inject.CaptureRules;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code sluice-init} may run again in the same network namespace (the kubelet restarts a failed
 * init container there): its script, run twice by real iptables in a fresh network namespace, leaves
 * exactly the nat rules of the first run, and the same steps run one by one ({@link
 * CaptureRules#commands}) leave them too. Needs root, {@code ip} and {@code iptables}; without them it
 * skips, or fails on CI ({@link Peers#missing}).
 */
class CaptureRulesRerunTest {
  static final String NAMESPACE = "sluice-rerun-test";

  @Test
  void script_runTwice_leavesTheRulesOfTheFirstRun_asDoTheStepsRunOneByOne() {
    PodNamespace.unavailable().ifPresent(reason -> {
      throw Peers.missing("the capture rules need a network namespace: " + reason);
    });
    CaptureRules rules = new CaptureRules(List.of(8080, 9000), List.of(5432), List.of("10.96.0.0/12"));
    try (PodNamespace ns = PodNamespace.bare(NAMESPACE)) {
      String before = ns.exec("iptables", "-t", "nat", "-S");
      ns.exec("sh", "-c", rules.script());
      String first = ns.exec("iptables", "-t", "nat", "-S");
      ns.exec("sh", "-c", rules.script());
      String second = ns.exec("iptables", "-t", "nat", "-S");
      for (CaptureRules.Step step : rules.commands()) {
        PodNamespace.Result tried = ns.attempt(step.argv());
        if (!tried.ok()) {
          assertThat(step.orElse()).as("%s failed with no fallback: %s", step.argv(), tried.out()).isNotEmpty();
          ns.exec(step.orElse().toArray(String[]::new));
        }
      }
      String third = ns.exec("iptables", "-t", "nat", "-S");

      assertThat(first).isNotEqualTo(before)
          .contains("-A PREROUTING -p tcp -j SLUICE_INBOUND", "-A OUTPUT -p tcp -j SLUICE_OUTPUT")
          .contains("-A SLUICE_INBOUND -p tcp -m tcp --dport 9000 -j REDIRECT --to-ports 15006")
          .contains("-A SLUICE_OUTPUT -d 10.96.0.0/12 -j RETURN");
      assertThat(second).as("after a second run of the script").isEqualTo(first);
      assertThat(third).as("after the steps, run one by one").isEqualTo(first);
    }
  }
}
