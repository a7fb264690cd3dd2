package dev.sluice.benchmarks.load;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * An incremental (delta) ADS proxy, subscribing as Envoy does: clusters and listeners by wildcard,
 * then the endpoints of the clusters it received and the route configurations its listeners name.
 * Listeners are the one thing it unpacks, once, to learn those names; the route version it tracks
 * is the response's {@code system_version_info}.
 */
final class DeltaProxy extends SimulatedProxy {
  private StreamObserver<DeltaDiscoveryRequest> requests;
  private final Set<String> endpointsAsked = new LinkedHashSet<>();
  private final Set<String> routesAsked = new LinkedHashSet<>();

  DeltaProxy(ManagedChannel channel, CountDownLatch configured) {
    super(channel, configured);
  }

  @Override
  void start(String nodeId) {
    endpointsAsked.clear(); // a new stream (after a failure) subscribes afresh
    routesAsked.clear();
    requests = AggregatedDiscoveryServiceGrpc.newStub(channel).deltaAggregatedResources(
        new ClientResponseObserver<DeltaDiscoveryRequest, DeltaDiscoveryResponse>() {
          @Override
          public void beforeStart(ClientCallStreamObserver<DeltaDiscoveryRequest> stream) {
            opened(stream);
          }

          @Override
          public void onNext(DeltaDiscoveryResponse r) {
            received(r.getTypeUrl(), r.getSerializedSize());
            send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(r.getTypeUrl()).setResponseNonce(r.getNonce()).build());
            switch (r.getTypeUrl()) {
              case CDS -> subscribe(EDS, endpointsAsked, r, false);
              case LDS -> subscribe(RDS, routesAsked, r, true);
              case RDS -> routes(r.getSystemVersionInfo());
              case EDS -> {
                if (observesEndpoints()) {
                  endpoints(r.getSystemVersionInfo(), r.getResourcesList().stream().map(Resource::getResource).toList(),
                      System.nanoTime());
                }
              }
              default -> { }
            }
            next();
          }

          @Override
          public void onError(Throwable t) {
            failed(nodeId, t);
          }

          @Override
          public void onCompleted() {}
        });
    send(DeltaDiscoveryRequest.newBuilder().setNode(node(nodeId)).setTypeUrl(CDS).build());
    send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(LDS).build());
  }

  /** Subscribes to the names a response's resources lead to, the first time they appear. */
  private void subscribe(String typeUrl, Set<String> asked, DeltaDiscoveryResponse r, boolean routeNames) {
    DeltaDiscoveryRequest.Builder more = DeltaDiscoveryRequest.newBuilder().setTypeUrl(typeUrl);
    for (Resource resource : r.getResourcesList()) {
      Set<String> names = routeNames ? routeConfigNames(resource.getResource()) : Set.of(resource.getName());
      for (String name : names) {
        if (asked.add(name)) {
          more.addResourceNamesSubscribe(name);
        }
      }
    }
    if (more.getResourceNamesSubscribeCount() > 0) {
      send(more.build());
    }
  }

  private static Set<String> routeConfigNames(Any packed) {
    Set<String> names = new LinkedHashSet<>();
    try {
      Listener listener = packed.unpack(Listener.class);
      for (FilterChain chain : listener.getFilterChainsList()) {
        for (Filter filter : chain.getFiltersList()) {
          if (filter.getTypedConfig().is(HttpConnectionManager.class)) {
            HttpConnectionManager hcm = filter.getTypedConfig().unpack(HttpConnectionManager.class);
            if (hcm.hasRds()) {
              names.add(hcm.getRds().getRouteConfigName());
            }
          }
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a listener that does not parse", e);
    }
    return names;
  }

  private synchronized void send(DeltaDiscoveryRequest request) {
    requests.onNext(request);
  }
}
