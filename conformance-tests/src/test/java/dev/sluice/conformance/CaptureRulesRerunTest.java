package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.injector.inject.CaptureRules;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
    if (!"root".equals(System.getProperty("user.name"))) {
      throw Peers.missing("network namespaces need root; running as " + System.getProperty("user.name"));
    }
    for (String tool : List.of("ip", "iptables")) {
      if (Peers.onPath(tool).isEmpty()) {
        throw Peers.missing(tool + " is not on the PATH");
      }
    }
    CaptureRules rules = new CaptureRules(List.of(8080, 9000), List.of(5432), List.of("10.96.0.0/12"));
    run("ip", "netns", "del", NAMESPACE); // left over from a killed run
    ok(run("ip", "netns", "add", NAMESPACE));
    try {
      String before = rules();
      ok(inside("sh", "-c", rules.script()));
      String first = rules();
      ok(inside("sh", "-c", rules.script()));
      String second = rules();
      for (CaptureRules.Step step : rules.commands()) {
        Result tried = inside(step.argv().toArray(String[]::new));
        if (tried.exit() != 0) {
          assertThat(step.orElse()).as("%s failed with no fallback: %s", step.argv(), tried.out()).isNotEmpty();
          ok(inside(step.orElse().toArray(String[]::new)));
        }
      }
      String third = rules();

      assertThat(first).isNotEqualTo(before)
          .contains("-A PREROUTING -p tcp -j SLUICE_INBOUND", "-A OUTPUT -p tcp -j SLUICE_OUTPUT")
          .contains("-A SLUICE_INBOUND -p tcp -m tcp --dport 9000 -j REDIRECT --to-ports 15006")
          .contains("-A SLUICE_OUTPUT -d 10.96.0.0/12 -j RETURN");
      assertThat(second).as("after a second run of the script").isEqualTo(first);
      assertThat(third).as("after the steps, run one by one").isEqualTo(first);
    } finally {
      run("ip", "netns", "del", NAMESPACE);
    }
  }

  /** {@code iptables -t nat -S} in the namespace. */
  private static String rules() {
    return ok(inside("iptables", "-t", "nat", "-S"));
  }

  private static Result inside(String... command) {
    List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", NAMESPACE));
    all.addAll(List.of(command));
    return run(all.toArray(String[]::new));
  }

  private record Result(List<String> command, int exit, String out) {}

  private static String ok(Result r) {
    assertThat(r.exit()).as("%s:%n%s", String.join(" ", r.command()), r.out()).isZero();
    return r.out();
  }

  private static Result run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not end within 30 s");
      }
      return new Result(List.of(command), p.exitValue(), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
