package dev.sluice.injector;

import dev.sluice.injector.inject.SidecarMode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.VersionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sluice.injector.sidecar-mode} to a mode. {@code auto} asks the API server its version once,
 * at start, through a fabric8 client configured as usual (in-cluster service account, else
 * kubeconfig): native sidecars from Kubernetes 1.29 (on by default there), classic before, and
 * classic also when no client can be built or the server does not answer (classic works everywhere;
 * logged as a warning).
 */
final class SidecarModes {
  private static final Logger log = LoggerFactory.getLogger(SidecarModes.class);

  private SidecarModes() {}

  static SidecarMode resolve(String setting) {
    return switch (setting) {
      case "native" -> SidecarMode.NATIVE;
      case "classic" -> SidecarMode.CLASSIC;
      default -> fromServer();
    };
  }

  static SidecarMode forVersion(String major, String minor) {
    int ma = Integer.parseInt(major.replaceAll("\\D", ""));
    int mi = Integer.parseInt(minor.replaceAll("\\D", ""));
    return ma > 1 || (ma == 1 && mi >= 29) ? SidecarMode.NATIVE : SidecarMode.CLASSIC;
  }

  private static SidecarMode fromServer() {
    try (KubernetesClient client = new KubernetesClientBuilder().build()) {
      VersionInfo v = client.getKubernetesVersion();
      SidecarMode mode = forVersion(v.getMajor(), v.getMinor());
      log.info("sidecar-mode auto: Kubernetes {}.{} -> {}", v.getMajor(), v.getMinor(), mode);
      return mode;
    } catch (RuntimeException e) {
      log.warn("sidecar-mode auto: cannot read the API server's version ({}); injecting classic sidecars",
          e.toString());
      return SidecarMode.CLASSIC;
    }
  }
}
