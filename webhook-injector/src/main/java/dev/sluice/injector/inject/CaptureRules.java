package dev.sluice.injector.inject;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The iptables rules {@code sluice-init} installs in the pod's network namespace (nat table), as
 * steps ({@link #commands}) and as the {@code sh} script the container runs ({@link #script}):
 *
 * <ul>
 *   <li>inbound: TCP to each captured port is redirected to the proxy's inbound listener, 15006;
 *   <li>outbound: TCP from anything but the proxy (uid 1337) to anywhere but 127.0.0.1, the excluded
 *       ports and the excluded CIDRs is redirected to the proxy's outbound listener, 15001.
 * </ul>
 *
 * <p><b>Re-runnable.</b> The kubelet restarts a failed init container in the same network namespace,
 * where the first run's chains already exist, so every step is safe to repeat and a second run leaves
 * exactly the rules of the first: each of our chains is created if missing, else flushed ({@code -N X}
 * or else {@code -F X}), and refilled; each jump from the built-in chains is added only if absent
 * ({@code -C ...} or else {@code -A ...}), so it is neither doubled nor moved.
 *
 * <p>Pure and public: the netns tests run {@link #commands} verbatim, step by step. Every argument is
 * a validated number or CIDR, so the script needs no quoting.
 *
 * @param inboundPorts ports captured inbound, sorted
 * @param excludedOutboundPorts destination ports left alone outbound
 * @param excludedOutboundCidrs destination IPv4 CIDRs left alone outbound
 */
public record CaptureRules(List<Integer> inboundPorts, List<Integer> excludedOutboundPorts,
    List<String> excludedOutboundCidrs) {
  public static final int PROXY_UID = 1337;
  public static final int INBOUND_PORT = 15006;
  public static final int OUTBOUND_PORT = 15001;
  public static final String INBOUND_CHAIN = "SLUICE_INBOUND";
  public static final String OUTPUT_CHAIN = "SLUICE_OUTPUT";

  /**
   * One step: run {@code argv}; only if it fails, run {@code orElse}, which must then succeed. A step
   * with no {@code orElse} must succeed itself. In the script: {@code argv 2>/dev/null || orElse}.
   *
   * @param argv the iptables invocation to try
   * @param orElse the invocation when {@code argv} fails (a chain that exists, a rule that is absent);
   *     empty when there is none
   */
  public record Step(List<String> argv, List<String> orElse) {
    public Step {
      argv = List.copyOf(argv);
      orElse = List.copyOf(orElse);
    }

    static Step always(List<String> argv) {
      return new Step(argv, List.of());
    }

    /** The step as one line of {@code sh}. */
    public String shell() {
      return orElse.isEmpty() ? String.join(" ", argv)
          : String.join(" ", argv) + " 2>/dev/null || " + String.join(" ", orElse);
    }
  }

  public CaptureRules {
    inboundPorts = List.copyOf(inboundPorts);
    excludedOutboundPorts = List.copyOf(excludedOutboundPorts);
    excludedOutboundCidrs = List.copyOf(excludedOutboundCidrs);
  }

  /** The steps, in order; each run as {@link Step} says. */
  public List<Step> commands() {
    List<Step> c = new ArrayList<>();
    c.add(createOrFlush(INBOUND_CHAIN));
    c.add(createOrFlush(OUTPUT_CHAIN));
    c.add(jump("PREROUTING", INBOUND_CHAIN));
    for (int port : inboundPorts) {
      c.add(append(INBOUND_CHAIN, "-p", "tcp", "--dport", String.valueOf(port),
          "-j", "REDIRECT", "--to-ports", String.valueOf(INBOUND_PORT)));
    }
    c.add(jump("OUTPUT", OUTPUT_CHAIN));
    c.add(append(OUTPUT_CHAIN, "-m", "owner", "--uid-owner", String.valueOf(PROXY_UID), "-j", "RETURN"));
    c.add(append(OUTPUT_CHAIN, "-d", "127.0.0.1/32", "-j", "RETURN"));
    for (int port : excludedOutboundPorts) {
      c.add(append(OUTPUT_CHAIN, "-p", "tcp", "--dport", String.valueOf(port), "-j", "RETURN"));
    }
    for (String cidr : excludedOutboundCidrs) {
      c.add(append(OUTPUT_CHAIN, "-d", cidr, "-j", "RETURN"));
    }
    c.add(append(OUTPUT_CHAIN, "-p", "tcp", "-j", "REDIRECT", "--to-ports", String.valueOf(OUTBOUND_PORT)));
    return List.copyOf(c);
  }

  /** {@code set -e}, then {@link #commands} one a line ({@link Step#shell}). */
  public String script() {
    return "set -e\n" + commands().stream().map(Step::shell).collect(Collectors.joining("\n")) + "\n";
  }

  private static Step createOrFlush(String chain) {
    return new Step(nat("-N", chain), nat("-F", chain));
  }

  /** {@code -p tcp -j <chain>} from a built-in chain, unless already there. */
  private static Step jump(String from, String chain) {
    return new Step(nat("-C", from, "-p", "tcp", "-j", chain), nat("-A", from, "-p", "tcp", "-j", chain));
  }

  private static Step append(String chain, String... rule) {
    List<String> args = new ArrayList<>(List.of("-A", chain));
    args.addAll(List.of(rule));
    return Step.always(nat(args.toArray(String[]::new)));
  }

  private static List<String> nat(String... args) {
    List<String> argv = new ArrayList<>(List.of("iptables", "-t", "nat"));
    argv.addAll(List.of(args));
    return List.copyOf(argv);
  }
}
