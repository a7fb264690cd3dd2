package dev.sluice.injector.inject;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The iptables rules {@code sluice-init} installs in the pod's network namespace (nat table), as
 * argv lists ({@link #commands}) and as the {@code sh} script the container runs ({@link #script}):
 *
 * <ul>
 *   <li>inbound: TCP to each captured port is redirected to the proxy's inbound listener, 15006;
 *   <li>outbound: TCP from anything but the proxy (uid 1337) to anywhere but 127.0.0.1, the excluded
 *       ports and the excluded CIDRs is redirected to the proxy's outbound listener, 15001.
 * </ul>
 *
 * Pure and public: the netns test runs {@link #commands} verbatim. Every argument is a validated
 * number or CIDR, so the script needs no quoting.
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

  public CaptureRules {
    inboundPorts = List.copyOf(inboundPorts);
    excludedOutboundPorts = List.copyOf(excludedOutboundPorts);
    excludedOutboundCidrs = List.copyOf(excludedOutboundCidrs);
  }

  /** One iptables invocation per entry, in order. */
  public List<List<String>> commands() {
    List<List<String>> c = new ArrayList<>();
    c.add(nat("-N", INBOUND_CHAIN));
    c.add(nat("-N", OUTPUT_CHAIN));
    c.add(nat("-A", "PREROUTING", "-p", "tcp", "-j", INBOUND_CHAIN));
    for (int port : inboundPorts) {
      c.add(nat("-A", INBOUND_CHAIN, "-p", "tcp", "--dport", String.valueOf(port),
          "-j", "REDIRECT", "--to-ports", String.valueOf(INBOUND_PORT)));
    }
    c.add(nat("-A", "OUTPUT", "-p", "tcp", "-j", OUTPUT_CHAIN));
    c.add(nat("-A", OUTPUT_CHAIN, "-m", "owner", "--uid-owner", String.valueOf(PROXY_UID), "-j", "RETURN"));
    c.add(nat("-A", OUTPUT_CHAIN, "-d", "127.0.0.1/32", "-j", "RETURN"));
    for (int port : excludedOutboundPorts) {
      c.add(nat("-A", OUTPUT_CHAIN, "-p", "tcp", "--dport", String.valueOf(port), "-j", "RETURN"));
    }
    for (String cidr : excludedOutboundCidrs) {
      c.add(nat("-A", OUTPUT_CHAIN, "-d", cidr, "-j", "RETURN"));
    }
    c.add(nat("-A", OUTPUT_CHAIN, "-p", "tcp", "-j", "REDIRECT", "--to-ports", String.valueOf(OUTBOUND_PORT)));
    return List.copyOf(c);
  }

  /** {@code set -e}, then {@link #commands} one a line. */
  public String script() {
    return "set -e\n" + commands().stream().map(argv -> String.join(" ", argv))
        .collect(Collectors.joining("\n")) + "\n";
  }

  private static List<String> nat(String... args) {
    List<String> argv = new ArrayList<>(List.of("iptables", "-t", "nat"));
    argv.addAll(List.of(args));
    return List.copyOf(argv);
  }
}
