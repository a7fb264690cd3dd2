package dev.sluice.conformance;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A raw ADS client over real gRPC, as a proxy would speak it: TLS to the secure port trusting only
 * Sluice's trust bundle, with a bearer token; or plaintext to the routing port.
 */
final class SdsClient implements AutoCloseable {
  static final String SECRET = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret";
  static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";

  private final ManagedChannel channel;
  private final io.grpc.Channel authenticated;

  private SdsClient(ManagedChannel channel, String bearer) {
    this.channel = channel;
    Metadata headers = new Metadata();
    if (bearer != null) {
      headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), bearer);
    }
    this.authenticated = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  /** To the secure port, sending {@code authorization: <bearer>} (none when null). */
  static SdsClient secure(ControlPlane cp, String bearer) {
    String bundle = cp.raw(java.net.http.HttpRequest.newBuilder().GET(), "/api/v1/trust-bundle").body();
    ChannelCredentials tls;
    try {
      tls = TlsChannelCredentials.newBuilder()
          .trustManager(new ByteArrayInputStream(bundle.getBytes(StandardCharsets.US_ASCII)))
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new SdsClient(Grpc.newChannelBuilderForAddress("localhost", cp.secureXdsPort(), tls).build(), bearer);
  }

  /** To the plaintext routing port. */
  static SdsClient plaintext(ControlPlane cp) {
    return new SdsClient(Grpc.newChannelBuilderForAddress("127.0.0.1", cp.xdsPort(), InsecureChannelCredentials.create())
        .build(), null);
  }

  static Node gatewayNode(String id) {
    return Node.newBuilder().setId(id).setMetadata(Struct.newBuilder()
        .putFields("sluice.role", Value.newBuilder().setStringValue("gateway").build())).build();
  }

  Stream open() {
    return new Stream();
  }

  /** A delta ADS stream on this client's channel. */
  DeltaStream openDelta() {
    return new DeltaStream();
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }

  /** One ADS stream: requests out, responses and the final status in. */
  final class Stream {
    final BlockingQueue<DiscoveryResponse> responses = new LinkedBlockingQueue<>();
    final CompletableFuture<Status> closed = new CompletableFuture<>();
    private final StreamObserver<DiscoveryRequest> requests;

    private Stream() {
      requests = AggregatedDiscoveryServiceGrpc.newStub(authenticated).streamAggregatedResources(collecting(responses, closed));
    }

    Stream request(Node node, String typeUrl, List<String> names) {
      return send(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(typeUrl).addAllResourceNames(names).build());
    }

    /** Acks a response, as a proxy does after applying it. */
    Stream ack(DiscoveryResponse r, List<String> names) {
      return send(DiscoveryRequest.newBuilder().setTypeUrl(r.getTypeUrl()).setVersionInfo(r.getVersionInfo())
          .setResponseNonce(r.getNonce()).addAllResourceNames(names).build());
    }

    Stream send(DiscoveryRequest r) {
      requests.onNext(r);
      return this;
    }

    /** The next response, or null if none arrives in time. */
    DiscoveryResponse next(Duration wait) throws InterruptedException {
      return responses.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The status the stream ended with; fails if it is still open after {@code wait}. */
    Status awaitClosed(Duration wait) throws Exception {
      try {
        return closed.get(wait.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        throw new AssertionError("the stream is still open after " + wait);
      }
    }

    void cancel() {
      requests.onError(Status.CANCELLED.asRuntimeException());
    }
  }

  /** Collects what a stream receives: each response, and the status it ends with. */
  private static <R> StreamObserver<R> collecting(BlockingQueue<R> responses, CompletableFuture<Status> closed) {
    return new StreamObserver<>() {
      @Override
      public void onNext(R r) {
        responses.add(r);
      }

      @Override
      public void onError(Throwable t) {
        closed.complete(Status.fromThrowable(t));
      }

      @Override
      public void onCompleted() {
        closed.complete(Status.OK);
      }
    };
  }

  /** One delta ADS stream: requests out, responses and the final status in. */
  final class DeltaStream {
    final BlockingQueue<DeltaDiscoveryResponse> responses = new LinkedBlockingQueue<>();
    final CompletableFuture<Status> closed = new CompletableFuture<>();
    final StreamObserver<DeltaDiscoveryRequest> requests =
        AggregatedDiscoveryServiceGrpc.newStub(authenticated).deltaAggregatedResources(collecting(responses, closed));
  }

  static List<Secret> secrets(DiscoveryResponse r) throws Exception {
    List<Secret> out = new ArrayList<>();
    for (var any : r.getResourcesList()) {
      out.add(any.unpack(Secret.class));
    }
    return out;
  }
}
