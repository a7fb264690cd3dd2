package dev.sluice.injector.inject;

import java.util.Locale;
import java.util.Optional;

/**
 * How the app's traffic reaches the proxy.
 *
 * <ul>
 *   <li>{@link #IPTABLES} (the default): the {@code sluice-init} container redirects inbound TCP to
 *       15006 and outbound TCP to 15001 ({@link CaptureRules}); it needs NET_ADMIN and NET_RAW.
 *   <li>{@link #EXPLICIT}: no init container and no capabilities; the app dials the sidecar itself at
 *       {@code 127.0.0.1:15001} (plain HTTP or gRPC, with the model's host as Host or authority), told
 *       so by the env {@code SLUICE_PROXY=http://127.0.0.1:15001}. Nothing redirects inbound traffic,
 *       so the sidecar claims none of the app's ports (its {@code sluice.inbound_ports} is empty, as is
 *       {@code inboundPorts} in {@code sluice.dev/status}) and the kubelet's probes, which reach the
 *       app directly, are left as they are.
 * </ul>
 */
public enum CaptureMode {
  IPTABLES,
  EXPLICIT;

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The mode named {@code iptables} or {@code explicit} (any case); empty for anything else. */
  public static Optional<CaptureMode> parse(String text) {
    for (CaptureMode m : values()) {
      if (m.label().equalsIgnoreCase(text.strip())) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}
