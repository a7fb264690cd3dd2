package dev.sluice.translate;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.List;

/**
 * The HTTP filter chain, ordered in this one place. Each position says why it stands there; the
 * router is always last (Envoy and gRPC clients both require it).
 */
final class HttpFilters {
  static final String ROUTER = "envoy.filters.http.router";

  private HttpFilters() {}

  static List<HttpFilter> ordered() {
    return List.of(
        // Last: forwards the request to the cluster the route chose.
        HttpFilter.newBuilder().setName(ROUTER).setTypedConfig(Any.pack(Router.getDefaultInstance())).build());
  }
}
