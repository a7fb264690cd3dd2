package dev.sluice.conformance;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.NameResolverRegistry;
import io.grpc.StatusRuntimeException;
import io.grpc.internal.GrpcUtil;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.xds.XdsNameResolverProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Google's grpc-java xDS client, bootstrapped against our control plane: a channel to
 * {@code xds:///<host>} whose routing comes entirely from xDS. Each instance has its own resolver
 * scheme and bootstrap, so tests never share an xDS client.
 */
final class ProxylessClient implements XdsClient {
  /** The grpc-java release on the test classpath, as the conformance report names it. */
  static final String FAMILY = "grpc-java " + GrpcUtil.IMPLEMENTATION_VERSION;

  private static final AtomicInteger SCHEMES = new AtomicInteger();

  private final XdsNameResolverProvider resolver;
  private final ManagedChannel channel;
  private final String nodeId;

  ProxylessClient(Map<String, ?> bootstrap, String host) {
    String scheme = "xds-sluice-" + SCHEMES.incrementAndGet();
    resolver = XdsNameResolverProvider.createForTest(scheme, bootstrap);
    NameResolverRegistry.getDefaultRegistry().register(resolver);
    channel = Grpc.newChannelBuilder(scheme + ":///" + host, InsecureChannelCredentials.create()).build();
    nodeId = String.valueOf(((Map<?, ?>) bootstrap.get("node")).get("id"));
  }

  @Override
  public String family() {
    return FAMILY;
  }

  @Override
  public String nodeId() {
    return nodeId;
  }

  /** One RPC; returns the tag of the backend that answered, and throws when it failed. */
  String call() {
    return ClientCalls.blockingUnaryCall(channel, TaggedBackend.WHO, options(DEADLINE), "who");
  }

  /** One RPC carrying these headers (gRPC metadata); the tag, or "error:<code>" when it failed. */
  String callOrError(Map<String, String> headers) {
    try {
      return ClientCalls.blockingUnaryCall(withHeaders(headers), TaggedBackend.WHO, options(DEADLINE), "who");
    } catch (StatusRuntimeException e) {
      return "error:" + e.getStatus().getCode();
    }
  }

  /** One RPC; the tag, or "error:<code>" when it failed. */
  String callOrError() {
    return callOrError(Map.of());
  }

  @Override
  public List<String> calls(int n, Duration deadline, Map<String, String> headers) {
    Channel ch = withHeaders(headers);
    List<String> results = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      try {
        results.add(ClientCalls.blockingUnaryCall(ch, TaggedBackend.WHO, options(deadline), "who"));
      } catch (StatusRuntimeException e) {
        results.add("error:" + e.getStatus().getCode());
      }
    }
    return results;
  }

  @Override
  public List<String> concurrent(int n, Duration deadline, Map<String, String> headers) {
    Channel ch = withHeaders(headers);
    List<Future<String>> futures = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      futures.add(ClientCalls.futureUnaryCall(ch.newCall(TaggedBackend.WHO, options(deadline)), "who"));
    }
    List<String> results = new ArrayList<>(n);
    for (Future<String> f : futures) {
      try {
        results.add(f.get());
      } catch (ExecutionException e) {
        results.add("error:" + io.grpc.Status.fromThrowable(e.getCause()).getCode());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return results;
  }

  private Channel withHeaders(Map<String, String> headers) {
    if (headers.isEmpty()) {
      return channel;
    }
    Metadata metadata = new Metadata();
    headers.forEach((k, v) -> metadata.put(Metadata.Key.of(k, Metadata.ASCII_STRING_MARSHALLER), v));
    return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(metadata));
  }

  private static CallOptions options(Duration deadline) {
    return CallOptions.DEFAULT.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void close() {
    try {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      NameResolverRegistry.getDefaultRegistry().deregister(resolver);
    }
  }
}
