package dev.sluice.injector.inject;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the injection depends on besides the pod, already validated. The application builds it
 * from {@code sluice.injector.*} (see {@code InjectorProperties}, which documents each value).
 *
 * @param controlPlaneNamespace pods here are never injected
 * @param sidecarMode native or classic (auto already resolved)
 * @param captureMode the default capture mode, overridden per pod by {@code sluice.dev/capture}
 * @param proxyImage the Envoy image, overridden per pod by {@code sluice.dev/proxy-image}
 * @param captureImage image of {@code sluice-init}: any image with {@code sh} and {@code iptables}
 * @param proxyCpu default CPU request of the proxy
 * @param proxyMemory default memory request of the proxy
 * @param proxyLogLevel default Envoy log level
 * @param excludeOutboundCidrs IPv4 CIDRs every pod's outbound capture skips
 * @param xdsHost host the proxies dial for ADS
 * @param xdsPort its TLS port
 * @param xdsServerName the name to check in the xDS server's certificate when it is not {@code xdsHost}
 * @param rewriteProbes move app containers' HTTP probes to captured ports to the sidecar's health
 *     port ({@link ProbeRewrites}); overridden per pod by {@code sluice.dev/rewrite-probes}
 */
public record InjectorSettings(
    String controlPlaneNamespace,
    SidecarMode sidecarMode,
    CaptureMode captureMode,
    String proxyImage,
    String captureImage,
    String proxyCpu,
    String proxyMemory,
    String proxyLogLevel,
    List<String> excludeOutboundCidrs,
    String xdsHost,
    int xdsPort,
    Optional<String> xdsServerName,
    boolean rewriteProbes) {

  public InjectorSettings {
    Objects.requireNonNull(controlPlaneNamespace, "controlPlaneNamespace");
    Objects.requireNonNull(sidecarMode, "sidecarMode");
    Objects.requireNonNull(captureMode, "captureMode");
    Objects.requireNonNull(proxyImage, "proxyImage");
    Objects.requireNonNull(captureImage, "captureImage");
    Objects.requireNonNull(xdsHost, "xdsHost");
    excludeOutboundCidrs = List.copyOf(excludeOutboundCidrs);
    xdsServerName = xdsServerName.filter(s -> !s.isBlank());
    check(Values.isQuantity(proxyCpu), "proxy-cpu", proxyCpu, "not a Kubernetes quantity");
    check(Values.isQuantity(proxyMemory), "proxy-memory", proxyMemory, "not a Kubernetes quantity");
    check(Values.LOG_LEVELS.contains(proxyLogLevel), "proxy-log-level", proxyLogLevel,
        "not one of " + Values.LOG_LEVELS);
    check(xdsPort > 0 && xdsPort < 65536, "xds-port", String.valueOf(xdsPort), "not a port");
    for (String cidr : excludeOutboundCidrs) {
      check(Values.cidr(cidr).isPresent(), "exclude-outbound-cidrs", cidr, "not an IPv4 CIDR");
    }
  }

  /** The defaults of {@code sluice.injector.*}. */
  public static InjectorSettings defaults() {
    return new InjectorSettings("sluice-system", SidecarMode.NATIVE, CaptureMode.IPTABLES,
        "docker.io/envoyproxy/envoy:v1.36.2", "docker.io/nicolaka/netshoot:v0.13", "100m", "128Mi", "info",
        List.of(), "sluice-xds.sluice-system.svc", 18001, Optional.empty(), true);
  }

  public InjectorSettings withSidecarMode(SidecarMode mode) {
    return new InjectorSettings(controlPlaneNamespace, mode, captureMode, proxyImage, captureImage, proxyCpu,
        proxyMemory, proxyLogLevel, excludeOutboundCidrs, xdsHost, xdsPort, xdsServerName, rewriteProbes);
  }

  public InjectorSettings withCaptureMode(CaptureMode mode) {
    return new InjectorSettings(controlPlaneNamespace, sidecarMode, mode, proxyImage, captureImage, proxyCpu,
        proxyMemory, proxyLogLevel, excludeOutboundCidrs, xdsHost, xdsPort, xdsServerName, rewriteProbes);
  }

  /** These settings with sidecars dialling the control plane at {@code host:port}, checking {@code serverName}. */
  public InjectorSettings withXds(String host, int port, Optional<String> serverName) {
    return new InjectorSettings(controlPlaneNamespace, sidecarMode, captureMode, proxyImage, captureImage, proxyCpu,
        proxyMemory, proxyLogLevel, excludeOutboundCidrs, host, port, serverName, rewriteProbes);
  }

  public InjectorSettings withRewriteProbes(boolean rewrite) {
    return new InjectorSettings(controlPlaneNamespace, sidecarMode, captureMode, proxyImage, captureImage, proxyCpu,
        proxyMemory, proxyLogLevel, excludeOutboundCidrs, xdsHost, xdsPort, xdsServerName, rewrite);
  }

  private static void check(boolean ok, String setting, String value, String why) {
    if (!ok) {
      throw new IllegalArgumentException("sluice.injector." + setting + ": " + why + ": '" + value + "'");
    }
  }
}
