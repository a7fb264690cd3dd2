package dev.sluice.injector.inject;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CaptureRulesTest {

  @Test
  void inboundPortsAndExclusions_becomeNatRulesInContractOrder() {
    CaptureRules rules = new CaptureRules(List.of(8080, 9000), List.of(5432), List.of("10.96.0.0/12"));
    assertThat(rules.commands()).extracting(CaptureRulesTest::nat).containsExactly(
        "-N SLUICE_INBOUND || -F SLUICE_INBOUND",
        "-N SLUICE_OUTPUT || -F SLUICE_OUTPUT",
        "-C PREROUTING -p tcp -j SLUICE_INBOUND || -A PREROUTING -p tcp -j SLUICE_INBOUND",
        "-A SLUICE_INBOUND -p tcp --dport 8080 -j REDIRECT --to-ports 15006",
        "-A SLUICE_INBOUND -p tcp --dport 9000 -j REDIRECT --to-ports 15006",
        "-C OUTPUT -p tcp -j SLUICE_OUTPUT || -A OUTPUT -p tcp -j SLUICE_OUTPUT",
        "-A SLUICE_OUTPUT -m owner --uid-owner 1337 -j RETURN",
        "-A SLUICE_OUTPUT -d 127.0.0.1/32 -j RETURN",
        "-A SLUICE_OUTPUT -p tcp --dport 5432 -j RETURN",
        "-A SLUICE_OUTPUT -d 10.96.0.0/12 -j RETURN",
        "-A SLUICE_OUTPUT -p tcp -j REDIRECT --to-ports 15001");
    assertThat(rules.commands()).allSatisfy(step -> {
      assertThat(step.argv().subList(0, 3)).containsExactly("iptables", "-t", "nat");
      if (!step.orElse().isEmpty()) {
        assertThat(step.orElse().subList(0, 3)).containsExactly("iptables", "-t", "nat");
      }
    });
  }

  @Test
  void onlyChainCreationAndJumps_mayFail_soEveryRuleOfOurChainsIsAppendedAfterAFlush() {
    CaptureRules rules = new CaptureRules(List.of(8080), List.of(), List.of());
    assertThat(rules.commands()).filteredOn(step -> !step.orElse().isEmpty())
        .extracting(step -> step.argv().get(3)).containsExactly("-N", "-N", "-C", "-C");
    assertThat(rules.commands()).filteredOn(step -> step.orElse().isEmpty())
        .allSatisfy(step -> assertThat(step.argv().get(4)).startsWith("SLUICE_"));
  }

  @Test
  void script_isSetEThenOneStepALine_eachFallbackTakingTheFailure() {
    CaptureRules rules = new CaptureRules(List.of(), List.of(), List.of());
    List<String> lines = rules.script().lines().toList();
    assertThat(lines.get(0)).isEqualTo("set -e");
    assertThat(lines).hasSize(rules.commands().size() + 1);
    assertThat(lines.get(1)).isEqualTo("iptables -t nat -N SLUICE_INBOUND 2>/dev/null || iptables -t nat -F SLUICE_INBOUND");
    assertThat(lines.get(3)).isEqualTo("iptables -t nat -C PREROUTING -p tcp -j SLUICE_INBOUND 2>/dev/null"
        + " || iptables -t nat -A PREROUTING -p tcp -j SLUICE_INBOUND");
    assertThat(lines.get(lines.size() - 1)).isEqualTo("iptables -t nat -A SLUICE_OUTPUT -p tcp -j REDIRECT --to-ports 15001");
  }

  /** A step without {@code iptables -t nat}, its fallback after {@code ||}. */
  private static String nat(CaptureRules.Step step) {
    String first = String.join(" ", step.argv().subList(3, step.argv().size()));
    return step.orElse().isEmpty() ? first
        : first + " || " + String.join(" ", step.orElse().subList(3, step.orElse().size()));
  }
}
