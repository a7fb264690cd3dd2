package dev.sluice.injector.inject;

/** The pod labels and annotations the injector reads and writes (contract: keep these names). */
public final class Annotations {
  /** Label: {@code true} injects, {@code false} never; namespace label {@code enabled} opts a namespace in. */
  public static final String INJECT = "sluice.dev/inject";
  /** Annotation written on injection: what was injected, as compact JSON ({@link InjectionStatus}). */
  public static final String STATUS = "sluice.dev/status";
  /** Label written on injection, so injected pods can be listed: {@code sluice.dev/injected=true}. */
  public static final String INJECTED = "sluice.dev/injected";
  /** {@code iptables} or {@code explicit}: overrides {@code sluice.injector.capture-mode}. */
  public static final String CAPTURE = "sluice.dev/capture";
  /** Comma list of ports to capture inbound, replacing those detected from the containers' ports. */
  public static final String INBOUND_PORTS = "sluice.dev/inbound-ports";
  /** Comma list of inbound ports not to capture. */
  public static final String EXCLUDE_INBOUND_PORTS = "sluice.dev/exclude-inbound-ports";
  /** Comma list of outbound destination ports not to capture. */
  public static final String EXCLUDE_OUTBOUND_PORTS = "sluice.dev/exclude-outbound-ports";
  /** Comma list of outbound IPv4 CIDRs not to capture (added to the setting's). */
  public static final String EXCLUDE_OUTBOUND_CIDRS = "sluice.dev/exclude-outbound-cidrs";
  /**
   * {@code false}: leave this pod's kubelet HTTP probes as they are, even those to captured ports
   * ({@code true} moves them to the sidecar, see {@code ProbeRewrites}); overrides
   * {@code sluice.injector.rewrite-probes}.
   */
  public static final String REWRITE_PROBES = "sluice.dev/rewrite-probes";
  /** The Envoy image for this pod. */
  public static final String PROXY_IMAGE = "sluice.dev/proxy-image";
  /** Envoy's {@code --log-level} for this pod. */
  public static final String PROXY_LOG_LEVEL = "sluice.dev/proxy-log-level";
  public static final String PROXY_CPU = "sluice.dev/proxy-cpu";
  public static final String PROXY_MEMORY = "sluice.dev/proxy-memory";
  public static final String PROXY_CPU_LIMIT = "sluice.dev/proxy-cpu-limit";
  public static final String PROXY_MEMORY_LIMIT = "sluice.dev/proxy-memory-limit";

  private Annotations() {}
}
