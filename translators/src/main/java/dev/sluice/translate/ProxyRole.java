package dev.sluice.translate;

import java.util.Locale;
import java.util.Optional;

/** What a proxy is, from {@code node.metadata["sluice.role"]} (DESIGN.md, "Proxies"). */
public enum ProxyRole {
  /** A stock Envoy in front of model servers: one HTTP listener, a virtual host per route. */
  GATEWAY(true),
  /**
   * An Envoy injected next to an app: the app's outbound calls to route hosts (port 15001), and
   * calls to the app's own ports over mTLS per {@code spec.tls} (port 15006).
   */
  SIDECAR(true),
  /** A gRPC client with an xDS bootstrap: API listeners named after each host. */
  PROXYLESS(false);

  private final boolean envoy;

  ProxyRole(boolean envoy) {
    this.envoy = envoy;
  }

  /**
   * True for roles whose proxies are Envoy: they take certificates over SDS and originate mTLS as
   * {@code spec.tls} asks. False for proxyless gRPC clients, whose clusters stay plaintext.
   */
  public boolean isEnvoy() {
    return envoy;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<ProxyRole> fromWireName(String name) {
    for (ProxyRole role : values()) {
      if (role.wireName().equals(name)) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }
}
