package dev.sluice.translate;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.UInt32Value;
import dev.sluice.model.TlsMode;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.ForwardClientCertDetails;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.SetCurrentClientCertDetails;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The app's other side: calls arriving at the pod's ports, redirected to {@link SidecarPorts#INBOUND}
 * and passed to the app on 127.0.0.1 at the port the caller dialled, accepted as {@link InboundTls}
 * says. A port the sidecar was not told about has no filter chain, so a connection to it is closed.
 */
final class SidecarInbound {
  static final String TLS_INSPECTOR = "envoy.filters.listener.tls_inspector";
  private static final String TLS = "tls";
  private static final String RAW = "raw_buffer";

  private SidecarInbound() {}

  /** The inbound listener; none when the app serves no port. */
  static Optional<Listener> listener(SidecarScope scope, TlsMode mode, String trustDomain, TracingSettings tracing) {
    if (scope.inboundPorts().isEmpty()) {
      return Optional.empty(); // Envoy refuses a listener without filter chains
    }
    Listener.Builder listener = Listener.newBuilder()
        .setName(Names.sidecarInboundListener())
        .setAddress(ListenerTranslator.anyAddress(SidecarPorts.INBOUND))
        .setTrafficDirection(TrafficDirection.INBOUND)
        .addListenerFilters(SidecarOutbound.originalDestination());
    if (mode != TlsMode.DISABLED) {
      // Tells TLS from plaintext by the first bytes, so chains can match on it.
      listener.addListenerFilters(ListenerFilter.newBuilder()
          .setName(TLS_INSPECTOR)
          .setTypedConfig(Any.pack(TlsInspector.getDefaultInstance())));
    }
    for (int port : scope.inboundPorts()) {
      switch (mode) {
        case MUTUAL -> listener.addFilterChains(mutualChain(port, trustDomain, tracing));
        case PERMISSIVE -> listener.addFilterChains(mutualChain(port, trustDomain, tracing))
            .addFilterChains(plainChain(port, RAW, tracing));
        case DISABLED -> listener.addFilterChains(plainChain(port, null, tracing));
      }
    }
    return Optional.of(listener.build());
  }

  /** The app's ports as clusters of one endpoint each, 127.0.0.1, spoken to as the caller spoke. */
  static List<Cluster> clusters(SidecarScope scope) {
    List<Cluster> clusters = new ArrayList<>();
    for (int port : scope.inboundPorts()) {
      String name = Names.inboundCluster(port);
      clusters.add(Cluster.newBuilder()
          .setName(name)
          .setType(Cluster.DiscoveryType.STATIC)
          .setConnectTimeout(Duration.newBuilder().setSeconds(5))
          .putTypedExtensionProtocolOptions(ClusterTranslator.HTTP_PROTOCOL_OPTIONS,
              Any.pack(SidecarOutbound.callersProtocol()))
          .setLoadAssignment(ClusterLoadAssignment.newBuilder()
              .setClusterName(name)
              .addEndpoints(LocalityLbEndpoints.newBuilder()
                  .addLbEndpoints(LbEndpoint.newBuilder().setEndpoint(Endpoint.newBuilder()
                      .setAddress(Address.newBuilder().setSocketAddress(
                          SocketAddress.newBuilder().setAddress("127.0.0.1").setPortValue(port)))))))
          .build());
    }
    return clusters;
  }

  private static FilterChain mutualChain(int port, String trustDomain, TracingSettings tracing) {
    HttpConnectionManager hcm = connectionManager(port, tracing)
        // The app learns who called: the caller's SPIFFE ID, and nothing a caller made up.
        .setForwardClientCertDetails(ForwardClientCertDetails.SANITIZE_SET)
        .setSetCurrentClientCertDetails(SetCurrentClientCertDetails.newBuilder().setUri(true))
        .build();
    return FilterChain.newBuilder()
        .setName("inbound|" + port + "|mtls")
        .setFilterChainMatch(match(port, TLS))
        .setTransportSocket(InboundTls.socket(trustDomain))
        .addFilters(ListenerTranslator.httpFilter(hcm))
        .build();
  }

  private static FilterChain plainChain(int port, String transport, TracingSettings tracing) {
    return FilterChain.newBuilder()
        .setName("inbound|" + port + "|plaintext")
        .setFilterChainMatch(match(port, transport))
        .addFilters(ListenerTranslator.httpFilter(connectionManager(port, tracing).build()))
        .build();
  }

  private static FilterChainMatch match(int port, String transport) {
    FilterChainMatch.Builder match = FilterChainMatch.newBuilder().setDestinationPort(UInt32Value.of(port));
    if (transport != null) {
      match.setTransportProtocol(transport);
    }
    return match.build();
  }

  /** Every request to the app, as it came; the caller's route already set the timeout. */
  private static HttpConnectionManager.Builder connectionManager(int port, TracingSettings tracing) {
    String name = Names.inboundCluster(port);
    return ListenerTranslator.envoyConnectionManager("inbound_" + port, ProxyRole.SIDECAR, tracing)
        .setRouteConfig(RouteConfiguration.newBuilder()
            .setName(name)
            .addVirtualHosts(VirtualHost.newBuilder()
                .setName(name)
                .addDomains("*")
                .addRoutes(Route.newBuilder()
                    .setName(name)
                    .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                    .setRoute(RouteAction.newBuilder()
                        .setCluster(name)
                        .setTimeout(Duration.getDefaultInstance())))));
  }
}
