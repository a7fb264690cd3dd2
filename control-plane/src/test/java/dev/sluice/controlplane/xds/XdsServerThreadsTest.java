package dev.sluice.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.sluice.controlplane.RunningApp;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plaintext port handles each request on the transport's own thread (grpc-java's direct
 * executor): an ACK is not handed to a pool thread, which cost a wake-up per ACK and grew the pool
 * to dozens of threads at a thousand proxies (benchmarks/RESULTS.md). Seen from the ACK listener,
 * which runs where the request is handled.
 */
class XdsServerThreadsTest {
  static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";

  @Test
  void aPlaintextAck_isHandledOnTheTransportsThread_notAnExecutorPools(@TempDir Path store) throws Exception {
    try (RunningApp app = RunningApp.start(store)) {
      BlockingQueue<String> ackThreads = new LinkedBlockingQueue<>();
      app.bean(StreamRegistry.class).onAck(group -> ackThreads.add(Thread.currentThread().getName()));
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", app.bean(XdsServer.class).port())
          .usePlaintext().build();
      try {
        BlockingQueue<DiscoveryResponse> responses = new LinkedBlockingQueue<>();
        StreamObserver<DiscoveryRequest> requests = AggregatedDiscoveryServiceGrpc.newStub(channel)
            .streamAggregatedResources(new StreamObserver<>() {
              @Override
              public void onNext(DiscoveryResponse response) {
                responses.add(response);
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onCompleted() {}
            });
        Node node = Node.newBuilder().setId("gateway-1").setMetadata(Struct.newBuilder()
            .putFields("sluice.role", Value.newBuilder().setStringValue("gateway").build())).build();
        requests.onNext(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(LDS).build());
        DiscoveryResponse listeners = responses.poll(30, TimeUnit.SECONDS);
        assertThat(listeners).as("the listeners").isNotNull();
        requests.onNext(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(LDS)
            .setVersionInfo(listeners.getVersionInfo()).setResponseNonce(listeners.getNonce()).build());

        String thread = ackThreads.poll(30, TimeUnit.SECONDS);
        assertThat(thread).as("the thread that handled the ACK").isNotNull()
            .contains("worker").doesNotContain("executor");
        requests.onCompleted();
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }
}
