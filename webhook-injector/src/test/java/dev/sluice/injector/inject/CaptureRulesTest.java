package dev.sluice.injector.inject;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CaptureRulesTest {

  @Test
  void inboundPortsAndExclusions_becomeNatRulesInContractOrder() {
    CaptureRules rules = new CaptureRules(List.of(8080, 9000), List.of(5432), List.of("10.96.0.0/12"));
    assertThat(rules.commands()).extracting(argv -> String.join(" ", argv.subList(3, argv.size()))).containsExactly(
        "-N SLUICE_INBOUND",
        "-N SLUICE_OUTPUT",
        "-A PREROUTING -p tcp -j SLUICE_INBOUND",
        "-A SLUICE_INBOUND -p tcp --dport 8080 -j REDIRECT --to-ports 15006",
        "-A SLUICE_INBOUND -p tcp --dport 9000 -j REDIRECT --to-ports 15006",
        "-A OUTPUT -p tcp -j SLUICE_OUTPUT",
        "-A SLUICE_OUTPUT -m owner --uid-owner 1337 -j RETURN",
        "-A SLUICE_OUTPUT -d 127.0.0.1/32 -j RETURN",
        "-A SLUICE_OUTPUT -p tcp --dport 5432 -j RETURN",
        "-A SLUICE_OUTPUT -d 10.96.0.0/12 -j RETURN",
        "-A SLUICE_OUTPUT -p tcp -j REDIRECT --to-ports 15001");
    assertThat(rules.commands()).allSatisfy(argv -> assertThat(argv.subList(0, 3)).containsExactly("iptables", "-t", "nat"));
  }

  @Test
  void script_isSetEThenOneCommandALine() {
    CaptureRules rules = new CaptureRules(List.of(), List.of(), List.of());
    List<String> lines = rules.script().lines().toList();
    assertThat(lines.get(0)).isEqualTo("set -e");
    assertThat(lines).hasSize(rules.commands().size() + 1);
    assertThat(lines.get(1)).isEqualTo("iptables -t nat -N SLUICE_INBOUND");
  }
}
