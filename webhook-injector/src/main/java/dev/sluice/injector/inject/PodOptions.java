package dev.sluice.injector.inject;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;

/**
 * What one pod asks of its sidecar, from its annotations over the settings, all checked: a value
 * that does not parse makes {@link #of} return the reason instead, and the pod is denied whole.
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
    List<String> excludedOutboundCidrs) {

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
    return new PodOptions(capture, image, level,
        quantity(pod, Annotations.PROXY_CPU).orElse(s.proxyCpu()),
        quantity(pod, Annotations.PROXY_MEMORY).orElse(s.proxyMemory()),
        quantity(pod, Annotations.PROXY_CPU_LIMIT), quantity(pod, Annotations.PROXY_MEMORY_LIMIT),
        List.copyOf(inbound), List.copyOf(new TreeSet<>(ports(pod, Annotations.EXCLUDE_OUTBOUND_PORTS))),
        List.copyOf(cidrs));
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
