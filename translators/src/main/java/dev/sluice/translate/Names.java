package dev.sluice.translate;

import dev.sluice.model.ModelRoute;

/**
 * Every name Sluice gives an Envoy resource, in one place. Names use {@code |} as separator: it is
 * not allowed in DNS-1123 names, so names never collide, and Envoy's stats keep them whole.
 */
public final class Names {
  /** Secret names as Istio spells them; Envoy and tools recognise them. */
  public static final String DEFAULT_SECRET = "default";
  public static final String ROOT_CA_SECRET = "ROOTCA";

  private Names() {}

  /** The cluster (and ClusterLoadAssignment) of one version: {@code ml|fraud-scorer|v2}. */
  public static String cluster(ModelRoute route, String version) {
    return route.metadata().namespace() + "|" + route.metadata().name() + "|" + version;
  }

  /** A route's own RouteConfiguration, used by proxyless clients: {@code ml|fraud-scorer}. */
  public static String routeConfiguration(ModelRoute route) {
    return virtualHost(route);
  }

  /** The virtual host of a route, in every role: {@code ml|fraud-scorer}. */
  public static String virtualHost(ModelRoute route) {
    return route.metadata().namespace() + "|" + route.metadata().name();
  }

  /** The route entry that carries a route's weighted split. */
  public static String defaultRoute(ModelRoute route) {
    return virtualHost(route) + "|default";
  }

  /** The route entry of one rule: {@code ml|fraud-scorer|rule|beta-testers}. */
  public static String ruleRoute(ModelRoute route, String rule) {
    return virtualHost(route) + "|rule|" + rule;
  }

  /** The gateway's HTTP listener on a port: {@code gateway|10000}. */
  public static String gatewayListener(int port) {
    return "gateway|" + port;
  }

  /** The gateway's RouteConfiguration for a listener port: {@code gateway|10000}. */
  public static String gatewayRouteConfiguration(int port) {
    return "gateway|" + port;
  }

  /** The stat prefix of the gateway's connection manager. */
  public static String gatewayStatPrefix(int port) {
    return "gateway_" + port;
  }

  /**
   * The cluster of the tracing collector Envoy roles report spans to: {@code sluice|tracing-collector}.
   * It cannot collide with a version's cluster, which always has three parts.
   */
  public static String tracingCollectorCluster() {
    return "sluice|tracing-collector";
  }

  /** A proxyless API listener is named after what the client dials: {@code fraud-scorer.ml:8080}. */
  public static String apiListener(String host) {
    return host;
  }

  public static String apiListener(String host, int port) {
    return host + ":" + port;
  }

  /** The sidecar's outbound listener, on {@link SidecarPorts#OUTBOUND}. */
  public static String sidecarOutboundListener() {
    return "sidecar|outbound";
  }

  /** The sidecar's inbound listener, on {@link SidecarPorts#INBOUND}. */
  public static String sidecarInboundListener() {
    return "sidecar|inbound";
  }

  /** The routes of intercepted calls to one port: {@code sidecar|outbound|8080}. */
  public static String sidecarOutboundRoutes(int port) {
    return "sidecar|outbound|" + port;
  }

  /** The routes of calls the app makes to the sidecar itself (explicit mode): every route's hosts. */
  public static String sidecarExplicitRoutes() {
    return "sidecar|outbound|explicit";
  }

  /**
   * The cluster that forwards a call no route claims to where the app sent it. Two parts, so it
   * cannot collide with a version's cluster.
   */
  public static String passthroughCluster() {
    return "sluice|passthrough";
  }

  /** The cluster of the app's own port, on 127.0.0.1: {@code inbound|8080}. */
  public static String inboundCluster(int port) {
    return "inbound|" + port;
  }
}
