package dev.sluice.translate;

import java.util.Set;

/**
 * The ports of an injected sidecar (DESIGN.md, "Proxies"), which the webhook injector's capture
 * rules and bootstrap use too. The proxy runs as {@link #PROXY_UID}, whose own connections capture
 * leaves alone.
 */
public final class SidecarPorts {
  /** Envoy's admin interface, on 127.0.0.1 only. */
  public static final int ADMIN = 15000;
  /** Where the app's outbound connections arrive: redirected by iptables, or dialled explicitly. */
  public static final int OUTBOUND = 15001;
  /** Where connections to the app's ports arrive, redirected by iptables. */
  public static final int INBOUND = 15006;
  /** The readiness probe, {@code /healthz/ready}, answered from the admin interface. */
  public static final int HEALTH = 15021;
  /** Ports no route and no app port may use in a sidecar's pod. */
  public static final Set<Integer> RESERVED = Set.of(ADMIN, OUTBOUND, INBOUND, HEALTH);
  /** The user id the proxy runs as. */
  public static final int PROXY_UID = 1337;

  private SidecarPorts() {}
}
