package dev.sluice.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.translate.ProxyGroup;
import io.envoyproxy.controlplane.cache.DeltaXdsRequest;
import io.envoyproxy.controlplane.cache.XdsRequest;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The routing guard gets each request's stream from the request itself, and refuses, closing the
 * stream, when a request comes without one: it never falls back to the unguarded cache.
 */
class GuardedDiscoveryServerTest {
  static final String LDS = NodeOnFirstRequestTest.LDS;

  final SimpleCache<ProxyGroup> cache = new SimpleCache<>(new ProxyGroups());
  Server server;
  ManagedChannel channel;

  GuardedDiscoveryServerTest() {
    cache.setSnapshot(NodeOnFirstRequestTest.GATEWAY_10001, Snapshot.createEmpty("1"));
  }

  @AfterEach
  void stop() {
    if (channel != null) {
      channel.shutdownNow();
      server.shutdownNow();
    }
  }

  @Test
  void aRequestWithoutItsStream_isRefused_notServedUnguarded() {
    GuardedConfigWatcher guard = new GuardedConfigWatcher(cache);
    DiscoveryRequest request = DiscoveryRequest.newBuilder().setNode(NodeOnFirstRequestTest.gatewayNode()).setTypeUrl(LDS).build();

    assertThatThrownBy(() -> guard.createWatch(true, XdsRequest.create(request), Set.of(), r -> {}, false, false))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL));
    assertThatThrownBy(() -> guard.createDeltaWatch(DeltaXdsRequest.create(DeltaDiscoveryRequest.newBuilder()
        .setNode(NodeOnFirstRequestTest.gatewayNode()).setTypeUrl(LDS).build()), "", Map.of(), Set.of(), true, r -> {}, false))
        .isInstanceOf(StatusRuntimeException.class);
    assertThatThrownBy(() -> guard.createWatch(true, XdsRequest.create(request.toBuilder()
        .setTypeUrl("type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret").build()), Set.of(), r -> {}, false, false))
        .isInstanceOf(StatusRuntimeException.class);
  }

  @Test
  void theGuardOnAServerThatDoesNotBindStreams_closesTheStream() throws Exception {
    StreamRegistry streams = new StreamRegistry(Clock.systemUTC(), g -> {});
    start(new V3DiscoveryServer(List.of(streams), new GuardedConfigWatcher(cache)));
    BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    StreamObserver<DiscoveryRequest> requests = AggregatedDiscoveryServiceGrpc.newStub(channel)
        .streamAggregatedResources(recording(events));

    requests.onNext(DiscoveryRequest.newBuilder().setNode(NodeOnFirstRequestTest.gatewayNode()).setTypeUrl(LDS).build());

    assertThat(events.poll(5, TimeUnit.SECONDS))
        .as("the stream is closed with an error, not answered from the unguarded cache")
        .isInstanceOf(Throwable.class);
  }

  @Test
  void everyRequestIsBound_andNoneIsLeftBehind_evenOnesTheServerIgnores() throws Exception {
    StreamRegistry streams = new StreamRegistry(Clock.systemUTC(), g -> {});
    GuardedDiscoveryServer discovery = new GuardedDiscoveryServer(streams, new GuardedConfigWatcher(cache));
    start(discovery);
    BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    StreamObserver<DiscoveryRequest> requests = AggregatedDiscoveryServiceGrpc.newStub(channel)
        .streamAggregatedResources(recording(events));

    requests.onNext(DiscoveryRequest.newBuilder().setNode(NodeOnFirstRequestTest.gatewayNode()).setTypeUrl(LDS).build());
    DiscoveryResponse lds = (DiscoveryResponse) events.poll(5, TimeUnit.SECONDS);
    assertThat(lds).isNotNull();
    // A request for a nonce the server never sent: it runs the callbacks but makes no watch.
    requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(LDS).setResponseNonce("stale").build());
    requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(LDS).setVersionInfo(lds.getVersionInfo())
        .setResponseNonce(lds.getNonce()).build());
    requests.onCompleted();

    assertThat(events.poll(5, TimeUnit.SECONDS)).as("closed cleanly").isEqualTo("completed");
    assertThat(discovery.unboundRequests()).isZero();
  }

  private void start(V3DiscoveryServer discovery) throws Exception {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).addService(discovery.getAggregatedDiscoveryServiceImpl()).build().start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  private static StreamObserver<DiscoveryResponse> recording(BlockingQueue<Object> events) {
    return new StreamObserver<>() {
      @Override public void onNext(DiscoveryResponse r) { events.add(r); }
      @Override public void onError(Throwable t) { events.add(t); }
      @Override public void onCompleted() { events.add("completed"); }
    };
  }
}
