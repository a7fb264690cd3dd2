package dev.sluice.translate;

/**
 * Proxies that receive identical configuration, and so share one snapshot.
 *
 * @param role what the proxies are
 * @param listenerPort the gateway's listener port; 0 for roles without one
 * @param sidecar where a sidecar runs and what it serves; null for other roles
 */
public record ProxyGroup(ProxyRole role, int listenerPort, SidecarScope sidecar) {
  public static final int DEFAULT_GATEWAY_PORT = 10000;
  public static final ProxyGroup PROXYLESS = new ProxyGroup(ProxyRole.PROXYLESS, 0);
  public static final ProxyGroup DEFAULT_GATEWAY = gateway(DEFAULT_GATEWAY_PORT);

  public ProxyGroup {
    if (role == ProxyRole.GATEWAY && (listenerPort < 1 || listenerPort > 65535)) {
      throw new IllegalArgumentException("gateway listener port out of range: " + listenerPort);
    }
    if (role != ProxyRole.GATEWAY && listenerPort != 0) {
      throw new IllegalArgumentException(role + " has no listener port");
    }
    if ((role == ProxyRole.SIDECAR) != (sidecar != null)) {
      throw new IllegalArgumentException(role == ProxyRole.SIDECAR ? "a sidecar group needs its scope"
          : role + " has no sidecar scope");
    }
  }

  /** A group of a role without a sidecar scope. */
  public ProxyGroup(ProxyRole role, int listenerPort) {
    this(role, listenerPort, null);
  }

  public static ProxyGroup gateway(int port) {
    return new ProxyGroup(ProxyRole.GATEWAY, port);
  }

  public static ProxyGroup sidecar(SidecarScope scope) {
    return new ProxyGroup(ProxyRole.SIDECAR, 0, scope);
  }

  /**
   * A stable key for logs, metrics and the snapshot cache: {@code gateway:10000}, {@code proxyless},
   * {@code sidecar:ml/fraud-scorer:8080}.
   */
  public String key() {
    return switch (role) {
      case GATEWAY -> role.wireName() + ":" + listenerPort;
      case SIDECAR -> role.wireName() + ":" + sidecar.key();
      case PROXYLESS -> role.wireName();
    };
  }

  @Override
  public String toString() {
    return key();
  }
}
