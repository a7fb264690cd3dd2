package dev.sluice.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.translate.ProxyGroup;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class XdsReadinessTest {

  @Test
  void beforeTheFirstSnapshot_streamsAreRefusedUnavailable_andTheProbeIsDown() throws Exception {
    XdsReadiness readiness = new XdsReadiness();
    SimpleCache<ProxyGroup> cache = new SimpleCache<>(new ProxyGroups());
    cache.setSnapshot(ProxyGroup.DEFAULT_GATEWAY, Snapshot.createEmpty("0"));
    GuardedDiscoveryServer discovery = new GuardedDiscoveryServer(
        new StreamRegistry(Clock.systemUTC(), g -> {}), new GuardedConfigWatcher(cache));
    String name = InProcessServerBuilder.generateName();
    Server server = InProcessServerBuilder.forName(name)
        .addService(ServerInterceptors.intercept(discovery.getAggregatedDiscoveryServiceImpl(), readiness)).build().start();
    ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
    try {
      assertThat(readiness.health().getStatus()).isEqualTo(org.springframework.boot.health.contributor.Status.DOWN);
      assertThat(open(channel).poll(5, TimeUnit.SECONDS)).isEqualTo(Status.Code.UNAVAILABLE);

      readiness.markReady();

      assertThat(readiness.health().getStatus()).isEqualTo(org.springframework.boot.health.contributor.Status.UP);
      assertThat(open(channel).poll(5, TimeUnit.SECONDS)).isEqualTo(Status.Code.OK);
    } finally {
      channel.shutdownNow();
      server.shutdownNow();
    }
  }

  /** Opens a stream and reports UNAVAILABLE-or-other on error, OK on the first response. */
  private static BlockingQueue<Status.Code> open(ManagedChannel channel) {
    BlockingQueue<Status.Code> outcome = new LinkedBlockingQueue<>();
    StreamObserver<DiscoveryRequest> requests = AggregatedDiscoveryServiceGrpc.newStub(channel)
        .streamAggregatedResources(new StreamObserver<DiscoveryResponse>() {
          @Override public void onNext(DiscoveryResponse r) { outcome.add(Status.Code.OK); }
          @Override public void onError(Throwable t) { outcome.add(Status.fromThrowable(t).getCode()); }
          @Override public void onCompleted() {}
        });
    requests.onNext(DiscoveryRequest.newBuilder().setNode(Node.newBuilder().setId("envoy-1"))
        .setTypeUrl("type.googleapis.com/envoy.config.cluster.v3.Cluster").build());
    return outcome;
  }
}
