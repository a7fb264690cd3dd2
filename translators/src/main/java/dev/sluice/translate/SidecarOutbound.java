package dev.sluice.translate;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.Http1ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The app's side of a sidecar: calls leaving the pod.
 *
 * <p>One listener on {@link SidecarPorts#OUTBOUND}. Captured connections keep the address the app
 * dialled (the original destination), and the filter chain is chosen by its port: a port some
 * route serves gets an HTTP connection manager whose virtual hosts are those routes' (the same
 * rules, splits, retries, faults and mirrors as a gateway's), plus a last virtual host that sends
 * any other host where the app sent it. Connections to ports no route serves are passed through
 * as TCP. A call the app makes to the sidecar itself (explicit mode, no capture) lands on port
 * 15001 and is routed by host among every route.
 */
final class SidecarOutbound {
  static final String ORIGINAL_DST = "envoy.filters.listener.original_dst";
  static final String TCP_PROXY = "envoy.filters.network.tcp_proxy";

  private SidecarOutbound() {}

  /**
   * @param ports the routes' ports, ascending
   * @param tracing where spans go; null for no tracing
   * @param measured whether requests are also logged to the control plane ({@link Measurements})
   */
  static Listener listener(List<Integer> ports, TracingSettings tracing, boolean measured) {
    Listener.Builder listener = Listener.newBuilder()
        .setName(Names.sidecarOutboundListener())
        .setAddress(ListenerTranslator.anyAddress(SidecarPorts.OUTBOUND))
        .setTrafficDirection(TrafficDirection.OUTBOUND)
        .addListenerFilters(originalDestination());
    for (int port : ports) {
      listener.addFilterChains(httpChain("outbound|" + port, port, "outbound_" + port,
          Names.sidecarOutboundRoutes(port), tracing, measured));
    }
    listener.addFilterChains(httpChain("outbound|explicit", SidecarPorts.OUTBOUND, "outbound_explicit",
        Names.sidecarExplicitRoutes(), tracing, measured));
    TcpProxy passthrough = TcpProxy.newBuilder()
        .setStatPrefix("outbound_passthrough")
        .setCluster(Names.passthroughCluster())
        .build();
    return listener.setDefaultFilterChain(FilterChain.newBuilder()
            .setName("outbound|passthrough")
            .addFilters(Filter.newBuilder().setName(TCP_PROXY).setTypedConfig(Any.pack(passthrough))))
        .build();
  }

  /**
   * The route configurations: one per port, its routes' virtual hosts then the passthrough; and the
   * explicit one, every route's virtual host and nothing else (a host no route has gets 404 there,
   * since passing it through would dial the sidecar itself).
   *
   * @param byPort the virtual hosts of the routes on each port, in route order
   */
  static List<RouteConfiguration> routes(SortedMap<Integer, List<VirtualHost>> byPort) {
    List<RouteConfiguration> configs = new ArrayList<>();
    List<VirtualHost> all = new ArrayList<>();
    for (Map.Entry<Integer, List<VirtualHost>> port : byPort.entrySet()) {
      configs.add(RouteConfiguration.newBuilder()
          .setName(Names.sidecarOutboundRoutes(port.getKey()))
          .addAllVirtualHosts(port.getValue())
          .addVirtualHosts(passthroughHost())
          .build());
      all.addAll(port.getValue());
    }
    all.sort(java.util.Comparator.comparing(VirtualHost::getName));
    configs.add(RouteConfiguration.newBuilder().setName(Names.sidecarExplicitRoutes()).addAllVirtualHosts(all).build());
    return configs;
  }

  /**
   * Where calls nobody routes go: the address the app dialled. Its protocol is the caller's, and it
   * has no timeout of its own, as without a sidecar.
   */
  static Cluster passthroughCluster() {
    return Cluster.newBuilder()
        .setName(Names.passthroughCluster())
        .setType(Cluster.DiscoveryType.ORIGINAL_DST)
        .setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED)
        .setConnectTimeout(Duration.newBuilder().setSeconds(10))
        .putTypedExtensionProtocolOptions(ClusterTranslator.HTTP_PROTOCOL_OPTIONS, Any.pack(callersProtocol()))
        .build();
  }

  /** Upstream connections speak what the downstream spoke: HTTP/1.1 or HTTP/2. */
  static HttpProtocolOptions callersProtocol() {
    return HttpProtocolOptions.newBuilder()
        .setUseDownstreamProtocolConfig(HttpProtocolOptions.UseDownstreamHttpConfig.newBuilder()
            .setHttpProtocolOptions(Http1ProtocolOptions.getDefaultInstance())
            .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance()))
        .build();
  }

  static ListenerFilter originalDestination() {
    return ListenerFilter.newBuilder()
        .setName(ORIGINAL_DST)
        .setTypedConfig(Any.pack(OriginalDst.getDefaultInstance()))
        .build();
  }

  private static FilterChain httpChain(String name, int port, String statPrefix, String routes, TracingSettings tracing,
      boolean measured) {
    return FilterChain.newBuilder()
        .setName(name)
        .setFilterChainMatch(FilterChainMatch.newBuilder().setDestinationPort(UInt32Value.of(port)))
        .addFilters(ListenerTranslator.httpFilter(
            ListenerTranslator.envoyConnectionManager(statPrefix, ProxyRole.SIDECAR, tracing, measured)
                .setRds(ListenerTranslator.rds(routes))
                .build()))
        .build();
  }

  private static VirtualHost passthroughHost() {
    return VirtualHost.newBuilder()
        .setName("passthrough")
        .addDomains("*")
        .addRoutes(Route.newBuilder()
            .setName("passthrough")
            .setMatch(RouteMatch.newBuilder().setPrefix("/"))
            .setRoute(RouteAction.newBuilder()
                .setCluster(Names.passthroughCluster())
                .setTimeout(Duration.getDefaultInstance())))
        .build();
  }
}
