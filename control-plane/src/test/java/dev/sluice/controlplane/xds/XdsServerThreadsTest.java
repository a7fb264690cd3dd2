package dev.sluice.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.sluice.controlplane.RunningApp;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both xDS ports handle each request on the transport's own thread (grpc-java's direct executor):
 * an ACK is not handed to a pool thread, which cost a wake-up per ACK and grew the pool to dozens of
 * threads at a thousand proxies (benchmarks/RESULTS.md). Seen from the ACK listener, which runs
 * where the request is handled.
 */
class XdsServerThreadsTest {
  static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";

  @Test
  void aPlaintextAck_isHandledOnTheTransportsThread_notAnExecutorPools(@TempDir Path store) throws Exception {
    try (RunningApp app = RunningApp.start(store)) {
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", app.bean(XdsServer.class).port())
          .usePlaintext().build();
      assertThat(ackThread(app, channel, new Metadata())).as("the thread that handled the ACK")
          .contains("worker").doesNotContain("executor");
    }
  }

  /**
   * The TLS port too; its admission (here a bootstrap token looked up in the store) runs on an
   * admission thread of its own (OffThreadAdmissionTest), so an event loop never waits for the store
   * or the Kubernetes API server.
   */
  @Test
  void aTlsAck_isHandledOnTheTransportsThread(@TempDir Path store) throws Exception {
    try (RunningApp app = RunningApp.start(store)) {
      HttpResponse<String> bootstrap = app.send("POST", "/api/v1/namespaces/ml/bootstrap", "application/json",
          "{\"serviceAccount\": \"gateway\", \"nodeId\": \"gateway-1\", \"listenerPort\": 10000}");
      assertThat(bootstrap.statusCode()).isEqualTo(201);
      Matcher bearer = Pattern.compile("\"(Bearer [^\"]+)\"").matcher(bootstrap.body());
      assertThat(bearer.find()).as("the bootstrap carries the token").isTrue();
      Metadata headers = new Metadata();
      headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), bearer.group(1));
      String bundle = app.get("/api/v1/trust-bundle").body();
      ManagedChannel channel = Grpc.newChannelBuilderForAddress("localhost", app.bean(XdsServer.class).securePort(),
          TlsChannelCredentials.newBuilder()
              .trustManager(new ByteArrayInputStream(bundle.getBytes(StandardCharsets.US_ASCII))).build()).build();
      assertThat(ackThread(app, channel, headers)).as("the thread that handled the ACK")
          .contains("worker").doesNotContain("executor");
    }
  }

  /** Opens an ADS stream for listeners as gateway-1, ACKs the answer, and returns the thread that handled the ACK. */
  private static String ackThread(RunningApp app, ManagedChannel channel, Metadata headers) throws Exception {
    BlockingQueue<String> ackThreads = new LinkedBlockingQueue<>();
    app.bean(StreamRegistry.class).onAck(group -> ackThreads.add(Thread.currentThread().getName()));
    try {
      BlockingQueue<DiscoveryResponse> responses = new LinkedBlockingQueue<>();
      StreamObserver<DiscoveryRequest> requests = AggregatedDiscoveryServiceGrpc.newStub(
              ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers)))
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
      requests.onCompleted();
      return thread;
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
