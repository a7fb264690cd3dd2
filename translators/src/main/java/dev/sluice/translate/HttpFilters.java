package dev.sluice.translate;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.List;

/**
 * The HTTP filter chain, ordered in this one place. Each position says why it stands there; the
 * router is always last (Envoy and gRPC clients both require it).
 */
final class HttpFilters {
  static final String FAULT = "envoy.filters.http.fault";
  static final String ROUTER = "envoy.filters.http.router";

  private HttpFilters() {}

  static List<HttpFilter> ordered() {
    return List.of(
        // Before the router, so an injected abort never reaches a model server and an injected
        // delay holds the request before it is forwarded. Empty here: each route's faults come as
        // a per-virtual-host override, so listeners never change when a fault is added.
        filter(FAULT, Any.pack(HTTPFault.getDefaultInstance())),
        // Last: forwards the request to the cluster the route chose.
        filter(ROUTER, Any.pack(Router.getDefaultInstance())));
  }

  private static HttpFilter filter(String name, Any config) {
    return HttpFilter.newBuilder().setName(name).setTypedConfig(config).build();
  }
}
