package dev.sluice.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A call's admission runs on the admission executor, not the transport's thread; the call starts
 * once admitted, with nothing the client sent lost or reordered; a refused call never reaches the
 * service; a call the client left while waiting is not admitted at all.
 */
class OffThreadAdmissionTest {
  static final MethodDescriptor.Marshaller<String> TEXT = new MethodDescriptor.Marshaller<>() {
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
  };
  static final MethodDescriptor<String, String> CHAT = MethodDescriptor.<String, String>newBuilder()
      .setType(MethodDescriptor.MethodType.BIDI_STREAMING).setFullMethodName("test.Chat/Talk")
      .setRequestMarshaller(TEXT).setResponseMarshaller(TEXT).build();

  final ExecutorService admissions = Executors.newSingleThreadExecutor(r -> new Thread(r, "admission-test"));
  final List<String> received = new CopyOnWriteArrayList<>();
  final List<String> admittedOn = new CopyOnWriteArrayList<>();
  final CountDownLatch mayAdmit = new CountDownLatch(1);
  final CountDownLatch serviceDone = new CountDownLatch(1);
  Server server;
  ManagedChannel channel;

  /** Waits for the test's word, then lets the call in, or refuses it when its header says so. */
  final ServerInterceptor slowAdmission = new ServerInterceptor() {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      admittedOn.add(Thread.currentThread().getName());
      try {
        mayAdmit.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (headers.containsKey(REFUSE)) {
        call.close(Status.UNAUTHENTICATED.withDescription("no"), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      return next.startCall(call, headers);
    }
  };
  static final Metadata.Key<String> REFUSE = Metadata.Key.of("refuse", Metadata.ASCII_STRING_MARSHALLER);

  void start() throws IOException {
    ServerServiceDefinition chat = ServerServiceDefinition.builder("test.Chat")
        .addMethod(CHAT, ServerCalls.asyncBidiStreamingCall(responses -> new StreamObserver<String>() {
          @Override
          public void onNext(String message) {
            received.add(message);
          }

          @Override
          public void onError(Throwable t) {
            received.add("error");
            serviceDone.countDown();
          }

          @Override
          public void onCompleted() {
            received.add("half-close");
            responses.onNext("got " + (received.size() - 1));
            responses.onCompleted();
            serviceDone.countDown();
          }
        })).build();
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(ServerInterceptors.intercept(chat, new OffThreadAdmission(slowAdmission, admissions))).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() {
    mayAdmit.countDown();
    if (channel != null) {
      channel.shutdownNow();
      server.shutdownNow();
    }
    admissions.shutdownNow();
  }

  @Test
  void whatIsSentBeforeTheAdmission_reachesTheServiceInOrder_onceAdmitted() throws Exception {
    start();
    Replies replies = new Replies();
    StreamObserver<String> requests = ClientCalls.asyncBidiStreamingCall(channel.newCall(CHAT, CallOptions.DEFAULT), replies);
    requests.onNext("one");
    requests.onNext("two");
    requests.onNext("three");
    requests.onCompleted();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (admittedOn.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(1); // until the admission runs, held by the latch (a poll, not a timing assumption)
    }
    assertThat(admittedOn).as("the admission is running").hasSize(1);
    assertThat(received).as("nothing reaches the service before it is admitted").isEmpty();

    mayAdmit.countDown();

    assertThat(serviceDone.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(received).containsExactly("one", "two", "three", "half-close");
    assertThat(replies.done.poll(30, TimeUnit.SECONDS)).isEqualTo("completed");
    assertThat(replies.messages).containsExactly("got 3");
    assertThat(admittedOn).containsExactly("admission-test");
  }

  @Test
  void aRefusedCall_endsWithTheAdmissionsStatus_andNeverReachesTheService() throws Exception {
    start();
    mayAdmit.countDown();
    Metadata headers = new Metadata();
    headers.put(REFUSE, "yes");
    Replies replies = new Replies();
    ClientCall<String, String> call = io.grpc.ClientInterceptors.intercept(channel,
        io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(headers)).newCall(CHAT, CallOptions.DEFAULT);
    StreamObserver<String> requests = ClientCalls.asyncBidiStreamingCall(call, replies);
    requests.onNext("let me in");

    assertThat(replies.done.poll(30, TimeUnit.SECONDS)).isEqualTo("UNAUTHENTICATED: no");
    assertThat(received).isEmpty();
  }

  @Test
  void aCallTheClientLeftWhileWaiting_isNotAdmitted() throws Exception {
    start();
    CountDownLatch busy = new CountDownLatch(1);
    admissions.execute(() -> {
      try {
        busy.await(30, TimeUnit.SECONDS); // the admission thread is taken: the call waits in the queue
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    Replies replies = new Replies();
    ClientCall<String, String> call = channel.newCall(CHAT, CallOptions.DEFAULT);
    StreamObserver<String> requests = ClientCalls.asyncBidiStreamingCall(call, replies);
    requests.onNext("hello");
    call.cancel("leaving", null);
    assertThat(replies.done.poll(30, TimeUnit.SECONDS)).startsWith("CANCELLED");

    busy.countDown();
    admissions.submit(() -> { }).get(30, TimeUnit.SECONDS); // everything queued before it has run

    assertThat(admittedOn).as("the admission never ran").isEmpty();
    assertThat(received).isEmpty();
  }

  @Test
  void heldCallbacks_areHandedOverInOrder_thenDirectly() {
    List<String> seen = new ArrayList<>();
    OffThreadAdmission.Held<String> held = new OffThreadAdmission.Held<>(io.grpc.Context.ROOT);
    held.onReady();
    held.onMessage("a");
    held.onHalfClose();
    assertThat(seen).isEmpty();

    held.release(new ServerCall.Listener<>() {
      @Override
      public void onReady() {
        seen.add("ready");
      }

      @Override
      public void onMessage(String message) {
        seen.add(message);
      }

      @Override
      public void onHalfClose() {
        seen.add("half-close");
      }

      @Override
      public void onComplete() {
        seen.add("complete");
      }
    });
    held.onComplete();

    assertThat(seen).containsExactly("ready", "a", "half-close", "complete");
  }

  @Test
  void aHeldCallbackThatFails_doesNotKeepTheRestHeld() {
    List<String> seen = new ArrayList<>();
    OffThreadAdmission.Held<String> held = new OffThreadAdmission.Held<>(io.grpc.Context.ROOT);
    held.onReady();
    held.onMessage("a");

    held.release(new ServerCall.Listener<>() {
      @Override
      public void onReady() {
        throw new IllegalStateException("broken listener");
      }

      @Override
      public void onMessage(String message) {
        seen.add(message);
      }
    });
    held.onMessage("b");

    assertThat(seen).containsExactly("a", "b");
  }

  /** The client's side: replies, and how the call ended. */
  static final class Replies implements StreamObserver<String> {
    final List<String> messages = new CopyOnWriteArrayList<>();
    final BlockingQueue<String> done = new LinkedBlockingQueue<>();

    @Override
    public void onNext(String value) {
      messages.add(value);
    }

    @Override
    public void onError(Throwable t) {
      Status s = Status.fromThrowable(t);
      done.add(s.getCode() + (s.getDescription() == null ? "" : ": " + s.getDescription()));
    }

    @Override
    public void onCompleted() {
      done.add("completed");
    }
  }
}
