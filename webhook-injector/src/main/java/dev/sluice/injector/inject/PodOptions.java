package dev.sluice.injector.inject;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;

/**
 * What one pod asks of its sidecar, from its annotations over the settings, all checked: a value
 * that does not parse makes {@link #of} return the reason instead, and the pod is denied whole.
 *
 * @param inboundPorts the ports captured inbound: the app's TCP container ports or
 *     {@code sluice.dev/inbound-ports}, less {@code sluice.dev/exclude-inbound-ports}, sorted. None in
 *     capture mode {@code explicit}: nothing redirects inbound traffic there, so the sidecar must not
 *     claim the app's ports (the annotations are still checked)
 * @param rewriteProbes whether the app's HTTP probes to captured ports move to the sidecar
 *     ({@link ProbeRewrites}): {@code sluice.dev/rewrite-probes} over {@code rewrite-probes}
 */
record PodOptions(
    CaptureMode capture,
    String proxyImage,
    String logLevel,
    String cpu,
    String memory,
    Optional<String> cpuLimit,
    Optional<String> memoryLimit,
    List<Integer> inboundPorts,
    List<Integer> excludedOutboundPorts,
    List<String> excludedOutboundCidrs,
    boolean rewriteProbes) {

  /** The options, or why an annotation is refused. */
  record Parsed(PodOptions options, String error) {}

  private static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String key, String value, String why) {
      super("annotation " + key + "='" + value + "': " + why);
    }
  }

  static Parsed of(PodView pod, InjectorSettings settings) {
    try {
      return new Parsed(parse(pod, settings), null);
    } catch (Refused e) {
      return new Parsed(null, e.getMessage());
    }
  }

  private static PodOptions parse(PodView pod, InjectorSettings s) throws Refused {
    CaptureMode capture = s.captureMode();
    Optional<String> c = pod.annotation(Annotations.CAPTURE);
    if (c.isPresent()) {
      capture = CaptureMode.parse(c.get())
          .orElseThrow(() -> new Refused(Annotations.CAPTURE, c.get(), "expected iptables or explicit"));
    }
    String level = pod.annotation(Annotations.PROXY_LOG_LEVEL).orElse(s.proxyLogLevel());
    if (!Values.LOG_LEVELS.contains(level)) {
      throw new Refused(Annotations.PROXY_LOG_LEVEL, level, "not one of " + Values.LOG_LEVELS);
    }
    String image = pod.annotation(Annotations.PROXY_IMAGE).orElse(s.proxyImage());
    if (image.isBlank()) {
      throw new Refused(Annotations.PROXY_IMAGE, image, "empty");
    }
    TreeSet<Integer> inbound = new TreeSet<>(pod.annotation(Annotations.INBOUND_PORTS).isPresent()
        ? ports(pod, Annotations.INBOUND_PORTS) : pod.tcpContainerPorts());
    inbound.removeAll(ports(pod, Annotations.EXCLUDE_INBOUND_PORTS));
    List<String> cidrs = new ArrayList<>(s.excludeOutboundCidrs());
    for (String entry : list(pod, Annotations.EXCLUDE_OUTBOUND_CIDRS)) {
      String cidr = Values.cidr(entry)
          .orElseThrow(() -> new Refused(Annotations.EXCLUDE_OUTBOUND_CIDRS, entry, "not an IPv4 CIDR"));
      if (!cidrs.contains(cidr)) {
        cidrs.add(cidr);
      }
    }
    boolean rewrite = s.rewriteProbes();
    Optional<String> r = pod.annotation(Annotations.REWRITE_PROBES).map(String::strip);
    if (r.isPresent()) {
      if (!r.get().equals("true") && !r.get().equals("false")) {
        throw new Refused(Annotations.REWRITE_PROBES, r.get(), "expected true or false");
      }
      rewrite = r.get().equals("true");
    }
    return new PodOptions(capture, image, level,
        quantity(pod, Annotations.PROXY_CPU).orElse(s.proxyCpu()),
        quantity(pod, Annotations.PROXY_MEMORY).orElse(s.proxyMemory()),
        quantity(pod, Annotations.PROXY_CPU_LIMIT), quantity(pod, Annotations.PROXY_MEMORY_LIMIT),
        capture == CaptureMode.EXPLICIT ? List.of() : List.copyOf(inbound),
        List.copyOf(new TreeSet<>(ports(pod, Annotations.EXCLUDE_OUTBOUND_PORTS))), List.copyOf(cidrs), rewrite);
  }

  private static List<String> list(PodView pod, String key) {
    return pod.annotation(key).map(Values::commaList).orElse(List.of());
  }

  private static List<Integer> ports(PodView pod, String key) throws Refused {
    List<Integer> ports = new ArrayList<>();
    for (String entry : list(pod, key)) {
      OptionalInt p = Values.port(entry);
      if (p.isEmpty()) {
        throw new Refused(key, entry, "not a port (1-65535)");
      }
      ports.add(p.getAsInt());
    }
    return ports;
  }

  private static Optional<String> quantity(PodView pod, String key) throws Refused {
    Optional<String> value = pod.annotation(key).map(String::strip);
    if (value.isPresent() && !Values.isQuantity(value.get())) {
      throw new Refused(key, value.get(), "not a Kubernetes quantity");
    }
    return value;
  }
}
