package dev.sluice.injector;

import dev.sluice.injector.inject.CaptureMode;
import dev.sluice.injector.inject.InjectorSettings;
import dev.sluice.injector.webhook.WebhookConfigurations;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The injector's settings, {@code sluice.injector.*}; all checked at start-up.
 *
 * @param controlPlaneNamespace the control plane's namespace: its pods are never injected, and the
 *     recommended webhook configuration leaves it out; {@code sluice-system}
 * @param failurePolicy of the recommended webhook configuration, {@code Fail} (default: no pod starts
 *     unmeshed while the webhook is down) or {@code Ignore} (pods start without a sidecar, silently
 *     losing mTLS and routing)
 * @param sidecarMode {@code native} (default), {@code classic} or {@code auto}: native when the API
 *     server is 1.29 or later, read once at start; classic when older or when it cannot be asked
 * @param captureMode {@code iptables} (default) or {@code explicit}; a pod's {@code sluice.dev/capture}
 *     overrides it
 * @param proxyImage the Envoy image; {@code docker.io/envoyproxy/envoy:v1.36.2}
 * @param captureImage image of {@code sluice-init}: any image with {@code sh} and {@code iptables}
 *     (Sluice ships none yet); {@code docker.io/nicolaka/netshoot:v0.13}
 * @param proxyCpu CPU request of the proxy; {@code 100m}
 * @param proxyMemory memory request of the proxy; {@code 128Mi}
 * @param proxyLogLevel Envoy's log level; {@code info}
 * @param excludeOutboundCidrs IPv4 CIDRs that no pod's outbound capture redirects; none
 * @param xdsHost the host sidecars dial for xDS; {@code sluice-xds.sluice-system.svc}
 * @param xdsPort the control plane's TLS xDS port; 18001
 * @param xdsServerName name to verify in the xDS server's certificate if not {@code xdsHost}; unset
 * @param rewriteProbes move the app containers' plain-HTTP kubelet probes to captured ports onto the
 *     sidecar's health port 15021, which forwards them to the app, so they pass under mutual TLS;
 *     {@code true}; a pod's {@code sluice.dev/rewrite-probes} overrides it
 * @param trustBundleFile PEM file of Sluice's root certificates, written into every bootstrap;
 *     required; re-read when its modification time changes
 * @param tls the HTTPS serving certificate
 */
@ConfigurationProperties("sluice.injector")
public record InjectorProperties(String controlPlaneNamespace, String failurePolicy, String sidecarMode,
    String captureMode, String proxyImage, String captureImage, String proxyCpu, String proxyMemory,
    String proxyLogLevel, List<String> excludeOutboundCidrs, String xdsHost, Integer xdsPort,
    String xdsServerName, Boolean rewriteProbes, Path trustBundleFile, Tls tls) {

  /**
   * The serving certificate, PEM files reloaded when they change (a Spring Boot SSL bundle).
   *
   * @param enabled HTTPS on {@code server.port}; only tests should set {@code false}
   * @param certFile certificate chain, PEM
   * @param keyFile its private key, PEM
   */
  public record Tls(Boolean enabled, Path certFile, Path keyFile) {
    public Tls {
      enabled = enabled == null || enabled;
    }
  }

  public InjectorProperties {
    InjectorSettings d = InjectorSettings.defaults();
    controlPlaneNamespace = or(controlPlaneNamespace, d.controlPlaneNamespace());
    failurePolicy = WebhookConfigurations.failurePolicy(or(failurePolicy, "Fail"));
    sidecarMode = or(sidecarMode, "native").toLowerCase(Locale.ROOT);
    if (!List.of("native", "classic", "auto").contains(sidecarMode)) {
      throw new IllegalArgumentException("sluice.injector.sidecar-mode must be native, classic or auto, was '"
          + sidecarMode + "'");
    }
    String capture = or(captureMode, "iptables");
    captureMode = CaptureMode.parse(capture).map(m -> m.name().toLowerCase(Locale.ROOT)).orElseThrow(
        () -> new IllegalArgumentException("sluice.injector.capture-mode must be iptables or explicit, was '"
            + capture + "'"));
    proxyImage = or(proxyImage, d.proxyImage());
    captureImage = or(captureImage, d.captureImage());
    proxyCpu = or(proxyCpu, d.proxyCpu());
    proxyMemory = or(proxyMemory, d.proxyMemory());
    proxyLogLevel = or(proxyLogLevel, d.proxyLogLevel());
    excludeOutboundCidrs = excludeOutboundCidrs == null ? List.of() : List.copyOf(excludeOutboundCidrs);
    xdsHost = or(xdsHost, d.xdsHost());
    xdsPort = xdsPort == null ? d.xdsPort() : xdsPort;
    rewriteProbes = rewriteProbes == null ? d.rewriteProbes() : rewriteProbes;
    tls = tls == null ? new Tls(null, null, null) : tls;
    if (trustBundleFile == null) {
      throw new IllegalArgumentException("sluice.injector.trust-bundle-file is required: the PEM file of "
          + "Sluice's root certificates, which every injected bootstrap trusts for xDS");
    }
  }

  /** The pure settings, with the sidecar mode already resolved. */
  InjectorSettings settings(dev.sluice.injector.inject.SidecarMode mode) {
    return new InjectorSettings(controlPlaneNamespace, mode, CaptureMode.parse(captureMode).orElseThrow(),
        proxyImage, captureImage, proxyCpu, proxyMemory, proxyLogLevel, excludeOutboundCidrs, xdsHost, xdsPort,
        Optional.ofNullable(xdsServerName), rewriteProbes);
  }

  private static String or(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value.strip();
  }
}
