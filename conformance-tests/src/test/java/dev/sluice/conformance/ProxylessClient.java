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
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.xds.XdsNameResolverProvider;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Google's grpc-java xDS client, bootstrapped against our control plane: a channel to
 * {@code xds:///<host>} whose routing comes entirely from xDS. Each instance has its own resolver
 * scheme and bootstrap, so tests never share an xDS client.
 */
final class ProxylessClient implements AutoCloseable {
  private static final AtomicInteger SCHEMES = new AtomicInteger();

  private final XdsNameResolverProvider resolver;
  private final ManagedChannel channel;

  ProxylessClient(Map<String, ?> bootstrap, String host) {
    String scheme = "xds-sluice-" + SCHEMES.incrementAndGet();
    resolver = XdsNameResolverProvider.createForTest(scheme, bootstrap);
    NameResolverRegistry.getDefaultRegistry().register(resolver);
    channel = Grpc.newChannelBuilder(scheme + ":///" + host, InsecureChannelCredentials.create()).build();
  }

  /** One RPC; returns the tag of the backend that answered. */
  String call() {
    return ClientCalls.blockingUnaryCall(channel, TaggedBackend.WHO,
        CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), "who");
  }

  /** One RPC carrying these headers (gRPC metadata); the tag, or "error:<code>" when it failed. */
  String callOrError(Map<String, String> headers) {
    Metadata metadata = new Metadata();
    headers.forEach((k, v) -> metadata.put(Metadata.Key.of(k, Metadata.ASCII_STRING_MARSHALLER), v));
    Channel withHeaders = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(metadata));
    try {
      return ClientCalls.blockingUnaryCall(withHeaders, TaggedBackend.WHO,
          CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), "who");
    } catch (StatusRuntimeException e) {
      return "error:" + e.getStatus().getCode();
    }
  }

  /** One RPC; the tag, or "error:<code>" when it failed. */
  String callOrError() {
    try {
      return call();
    } catch (StatusRuntimeException e) {
      return "error:" + e.getStatus().getCode();
    }
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    NameResolverRegistry.getDefaultRegistry().deregister(resolver);
  }
}
