package dev.sluice.translate;

/**
 * Proxies that receive identical configuration, and so share one snapshot.
 *
 * @param role what the proxies are
 * @param listenerPort the gateway's listener port; 0 for roles without one
 */
public record ProxyGroup(ProxyRole role, int listenerPort) {
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
  }

  public static ProxyGroup gateway(int port) {
    return new ProxyGroup(ProxyRole.GATEWAY, port);
  }

  /** A stable key for logs, metrics and the snapshot cache: {@code gateway:10000}, {@code proxyless}. */
  public String key() {
    return role == ProxyRole.GATEWAY ? role.wireName() + ":" + listenerPort : role.wireName();
  }

  @Override
  public String toString() {
    return key();
  }
}
