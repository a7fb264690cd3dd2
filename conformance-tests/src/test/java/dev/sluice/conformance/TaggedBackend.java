package dev.sluice.conformance;

import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real gRPC server on 127.0.0.1 that answers {@code sluice.test.Tagged/Who} with its tag (the
 * model version it stands for), optionally failing a share of calls with UNAVAILABLE and holding
 * each call for a while before it answers.
 */
final class TaggedBackend implements AutoCloseable {
  static final MethodDescriptor<String, String> WHO = MethodDescriptor.<String, String>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName("sluice.test.Tagged/Who")
      .setRequestMarshaller(new Utf8())
      .setResponseMarshaller(new Utf8())
      .build();

  private final String tag;
  private final Server server;
  private final AtomicLong calls = new AtomicLong();
  private final Random random = new Random(42);
  private volatile double failureRate;
  private volatile long delayMillis;

  TaggedBackend(String tag) {
    this(tag, "127.0.0.1");
  }

  /** A backend on {@code host} (an address of this machine), for endpoints that must not be loopback. */
  TaggedBackend(String tag, String host) {
    this.tag = tag;
    ServerServiceDefinition service = ServerServiceDefinition.builder("sluice.test.Tagged")
        .addMethod(WHO, ServerCalls.asyncUnaryCall((request, response) -> {
          calls.incrementAndGet();
          hold();
          if (shouldFail()) {
            response.onError(Status.UNAVAILABLE.withDescription(tag + " failed on purpose").asRuntimeException());
            return;
          }
          response.onNext(tag);
          response.onCompleted();
        }))
        .build();
    try {
      server = NettyServerBuilder.forAddress(new InetSocketAddress(host, 0)).addService(service).build().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private synchronized boolean shouldFail() {
    return random.nextDouble() < failureRate;
  }

  private void hold() {
    long millis = delayMillis;
    if (millis > 0) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Hold every call this long before answering (or failing) it; the server's executor runs calls in parallel. */
  void delay(java.time.Duration delay) {
    this.delayMillis = delay.toMillis();
  }

  /** Fail this share of calls, from 0 to 1. */
  void failureRate(double rate) {
    this.failureRate = rate;
  }

  String endpoint() {
    return "127.0.0.1:" + server.getPort();
  }

  int port() {
    return server.getPort();
  }

  long calls() {
    return calls.get();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private static final class Utf8 implements MethodDescriptor.Marshaller<String> {
    @Override
    public InputStream stream(String value) {
      return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String parse(InputStream stream) {
      try {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
