package dev.sluice.benchmarks.load;

import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** A state-of-the-world ADS proxy subscribing to every cluster, endpoint, listener and route (wildcard). */
final class SotwProxy extends SimulatedProxy {
  private StreamObserver<DiscoveryRequest> requests;

  SotwProxy(ManagedChannel channel, CountDownLatch configured) {
    super(channel, configured);
  }

  @Override
  void start(String nodeId) {
    requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(
        new ClientResponseObserver<DiscoveryRequest, DiscoveryResponse>() {
          @Override
          public void beforeStart(ClientCallStreamObserver<DiscoveryRequest> stream) {
            opened(stream);
          }

          @Override
          public void onNext(DiscoveryResponse r) {
            received(r.getTypeUrl(), r.getSerializedSize());
            send(DiscoveryRequest.newBuilder().setTypeUrl(r.getTypeUrl()).setVersionInfo(r.getVersionInfo())
                .setResponseNonce(r.getNonce()).build());
            if (r.getTypeUrl().equals(RDS)) {
              routes(r.getVersionInfo());
            } else if (r.getTypeUrl().equals(EDS) && observesEndpoints()) {
              endpoints(r.getVersionInfo(), r.getResourcesList(), System.nanoTime());
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
    List<String> types = TYPES;
    for (int i = 0; i < types.size(); i++) {
      DiscoveryRequest.Builder r = DiscoveryRequest.newBuilder().setTypeUrl(types.get(i));
      if (i == 0) {
        r.setNode(node(nodeId));
      }
      send(r.build());
    }
  }

  private synchronized void send(DiscoveryRequest request) {
    requests.onNext(request);
  }
}
