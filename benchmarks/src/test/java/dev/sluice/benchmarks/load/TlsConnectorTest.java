package dev.sluice.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@code tls} plans' proxies reach a real Sluice on its TLS port the way bootstrapped Envoys do:
 * the serving certificate checked against the trust bundle, and a bootstrap token pinned to each
 * proxy's node id. Sluice refuses a call without a valid token (a proxy with another node's token is
 * refused below), so a proxy that is configured proves its own token went with it.
 */
class TlsConnectorTest {

  @Test
  void sotwAndDeltaProxies_areConfiguredOverTheTlsPort_andSeeAChange() throws Exception {
    try (SluiceServer server = SluiceServer.start(new Workload(4), 100)) {
      Connector tls = Connector.tls(server.secure(), server::token);

      CountDownLatch configured = new CountDownLatch(2);
      List<ManagedChannel> channels = List.of(tls.open("sotw-0"), tls.open("delta-0"));
      List<SimulatedProxy> proxies = List.of(new SotwProxy(channels.get(0), configured),
          new DeltaProxy(channels.get(1), configured));
      try {
        proxies.get(0).start("sotw-0");
        proxies.get(1).start("delta-0");
        assertThat(configured.await(60, TimeUnit.SECONDS)).as("both proxies configured over TLS").isTrue();
        assertThat(proxies).allSatisfy(p -> assertThat(p.configBytes).isGreaterThan(3_000));

        CountDownLatch changed = new CountDownLatch(2);
        proxies.forEach(p -> p.expectChange(changed));
        String before = server.publisher();
        server.change();
        assertThat(changed.await(60, TimeUnit.SECONDS)).as("both proxies saw the change").isTrue();
        // the publisher counts a publication when it ends, which can be after the proxies have it
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ChurnRun.publisher(before, server.publisher()).startsWith("ran 0 ") && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        assertThat(ChurnRun.publisher(before, server.publisher()))
            .as("B3's count of the publisher's runs, from Sluice's own metrics").matches("ran [1-9]\\d* times, \\d+\\.\\d s CPU");
      } finally {
        proxies.forEach(SimulatedProxy::close);
      }
    }
  }

  @Test
  void aProxyWithAnotherNodesToken_isRefused() throws Exception {
    try (SluiceServer server = SluiceServer.start(new Workload(4), 100)) {
      Connector borrowed = Connector.tls(server.secure(), node -> server.token("sotw-1"));
      ManagedChannel channel = borrowed.open("sotw-2");
      BlockingQueue<Throwable> failures = new LinkedBlockingQueue<>();
      try {
        StreamObserver<DiscoveryRequest> requests = AggregatedDiscoveryServiceGrpc.newStub(channel)
            .streamAggregatedResources(new StreamObserver<>() {
              @Override
              public void onNext(DiscoveryResponse r) {}

              @Override
              public void onError(Throwable t) {
                failures.add(t);
              }

              @Override
              public void onCompleted() {}
            });
        requests.onNext(DiscoveryRequest.newBuilder().setNode(SimulatedProxy.node("sotw-2")).setTypeUrl(SimulatedProxy.CDS).build());
        Throwable failure = failures.poll(60, TimeUnit.SECONDS);
        assertThat(failure).as("the stream is refused").isNotNull();
        assertThat(Status.fromThrowable(failure).getCode()).isIn(Status.Code.UNAUTHENTICATED, Status.Code.PERMISSION_DENIED);
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }
}
