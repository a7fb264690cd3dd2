package dev.sluice.benchmarks.load;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.LongSupplier;

/**
 * A simulated proxy: one channel, one state-of-the-world ADS stream subscribing to every cluster,
 * endpoint, listener and route (wildcard), ACKing each response with its nonce without unpacking
 * its resources. Records when it first received a route configuration other than the one it
 * started with.
 */
final class AdsClient {
  static final List<String> TYPES = List.of(
      "type.googleapis.com/envoy.config.cluster.v3.Cluster",
      "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment",
      "type.googleapis.com/envoy.config.listener.v3.Listener",
      "type.googleapis.com/envoy.config.route.v3.RouteConfiguration");
  static final String RDS = TYPES.get(3);

  private final ManagedChannel channel;
  private final LongSupplier nanoTime;
  private final CountDownLatch configured;
  private StreamObserver<DiscoveryRequest> requests;
  private volatile String initialRoutes;
  private volatile String awaitedVersion;
  private volatile long changedAtNanos = -1;
  private volatile CountDownLatch changed;
  volatile long bytes;
  private volatile boolean closing;

  AdsClient(ManagedChannel channel, LongSupplier nanoTime, CountDownLatch configured) {
    this.channel = channel;
    this.nanoTime = nanoTime;
    this.configured = configured;
  }

  void start(String nodeId) {
    Node node = Node.newBuilder().setId(nodeId).setMetadata(Struct.newBuilder()
        .putFields("sluice.role", Value.newBuilder().setStringValue("gateway").build())).build();
    requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(new StreamObserver<>() {
      @Override
      public void onNext(DiscoveryResponse r) {
        bytes += r.getSerializedSize();
        synchronized (AdsClient.this) {
          requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(r.getTypeUrl()).setVersionInfo(r.getVersionInfo())
              .setResponseNonce(r.getNonce()).build());
        }
        if (r.getTypeUrl().equals(RDS)) {
          if (initialRoutes == null) {
            initialRoutes = r.getVersionInfo();
            configured.countDown();
          } else if (changedAtNanos < 0 && !r.getVersionInfo().equals(initialRoutes)) {
            changedAtNanos = nanoTime.getAsLong();
            CountDownLatch c = changed;
            if (c != null) {
              c.countDown();
            }
          }
        }
      }

      @Override
      public void onError(Throwable t) {
        if (!closing) {
          System.err.println("stream of " + nodeId + " failed: " + t);
        }
      }

      @Override
      public void onCompleted() {}
    });
    synchronized (this) {
      for (int i = 0; i < TYPES.size(); i++) {
        DiscoveryRequest.Builder r = DiscoveryRequest.newBuilder().setTypeUrl(TYPES.get(i));
        if (i == 0) {
          r.setNode(node);
        }
        requests.onNext(r.build());
      }
    }
  }

  void expectChange(CountDownLatch latch) {
    this.changed = latch;
  }

  long changedAtNanos() {
    return changedAtNanos;
  }

  void close() {
    closing = true;
    channel.shutdownNow();
  }
}
