package dev.sluice.translate;

import com.google.protobuf.Any;
import dev.sluice.model.ModelRoute;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import java.util.ArrayList;
import java.util.List;

/**
 * The listeners of each role; all of them take their routes over RDS. Envoy roles also log every
 * request ({@link AccessLogs}), keep and return {@code x-request-id} ({@link RequestIds}) and, when
 * tracing is on, trace ({@link TracingTranslator}); proxyless gRPC clients do none of that from
 * xDS, so their API listeners carry only what gRPC reads.
 */
final class ListenerTranslator {
  static final String HTTP_CONNECTION_MANAGER = "envoy.filters.network.http_connection_manager";

  private ListenerTranslator() {}

  /**
   * The gateway's HTTP listener on all addresses.
   *
   * @param tracing where spans go and the global sampling; null for no tracing
   * @param measured whether requests are also logged to the control plane ({@link Measurements})
   */
  static Listener gateway(int port, TracingSettings tracing, boolean measured) {
    HttpConnectionManager.Builder hcm =
        envoyConnectionManager(Names.gatewayStatPrefix(port), ProxyRole.GATEWAY, tracing, measured)
            .setRds(rds(Names.gatewayRouteConfiguration(port)));
    return Listener.newBuilder()
        .setName(Names.gatewayListener(port))
        .setAddress(
            Address.newBuilder()
                .setSocketAddress(SocketAddress.newBuilder().setAddress("0.0.0.0").setPortValue(port)))
        .addFilterChains(
            FilterChain.newBuilder()
                .addFilters(Filter.newBuilder().setName(HTTP_CONNECTION_MANAGER).setTypedConfig(Any.pack(hcm.build()))))
        .build();
  }

  /** A proxyless client's API listeners for a route: one per host and per {@code host:port}. */
  static List<Listener> proxyless(ModelRoute route) {
    List<Listener> listeners = new ArrayList<>();
    for (String host : route.spec().hosts()) {
      listeners.add(apiListener(Names.apiListener(host), route));
      listeners.add(apiListener(Names.apiListener(host, route.spec().port()), route));
    }
    return listeners;
  }

  private static Listener apiListener(String name, ModelRoute route) {
    HttpConnectionManager hcm = connectionManager(name, Names.routeConfiguration(route)).build();
    return Listener.newBuilder()
        .setName(name)
        .setApiListener(ApiListener.newBuilder().setApiListener(Any.pack(hcm)))
        .build();
  }

  /** What every role's connection manager has: stats under {@code statPrefix}, routes over RDS, the filters. */
  private static HttpConnectionManager.Builder connectionManager(String statPrefix, String routeConfigName) {
    return HttpConnectionManager.newBuilder()
        .setStatPrefix(statPrefix)
        .setCodecType(HttpConnectionManager.CodecType.AUTO)
        .setRds(rds(routeConfigName))
        .addAllHttpFilters(HttpFilters.ordered());
  }

  /** {@link #envoyConnectionManager(String, ProxyRole, TracingSettings, boolean)}, not measured. */
  static HttpConnectionManager.Builder envoyConnectionManager(String statPrefix, ProxyRole role, TracingSettings tracing) {
    return envoyConnectionManager(statPrefix, role, tracing, false);
  }

  /**
   * An Envoy role's connection manager, without its routes: stats under {@code statPrefix}, the
   * filters, the access log, request ids and, when tracing is on, the tracer.
   *
   * @param tracing where spans go and the global sampling; null for no tracing
   * @param measured whether requests are also logged to the control plane ({@link Measurements})
   */
  static HttpConnectionManager.Builder envoyConnectionManager(String statPrefix, ProxyRole role, TracingSettings tracing,
      boolean measured) {
    HttpConnectionManager.Builder hcm = HttpConnectionManager.newBuilder()
        .setStatPrefix(statPrefix)
        .setCodecType(HttpConnectionManager.CodecType.AUTO)
        .addAllHttpFilters(HttpFilters.ordered())
        .addAccessLog(AccessLogs.stdoutJson());
    if (measured) {
      hcm.addAccessLog(Measurements.accessLog());
    }
    RequestIds.configure(hcm);
    if (tracing != null) {
      hcm.setTracing(TracingTranslator.connectionManager(tracing, role));
    }
    return hcm;
  }

  static Rds rds(String routeConfigName) {
    return Rds.newBuilder().setConfigSource(ConfigSources.ads()).setRouteConfigName(routeConfigName).build();
  }

  /** A listener's network filter: the HTTP connection manager. */
  static Filter httpFilter(HttpConnectionManager hcm) {
    return Filter.newBuilder().setName(HTTP_CONNECTION_MANAGER).setTypedConfig(Any.pack(hcm)).build();
  }

  /** All addresses, on {@code port}. */
  static Address anyAddress(int port) {
    return Address.newBuilder()
        .setSocketAddress(SocketAddress.newBuilder().setAddress("0.0.0.0").setPortValue(port))
        .build();
  }
}
