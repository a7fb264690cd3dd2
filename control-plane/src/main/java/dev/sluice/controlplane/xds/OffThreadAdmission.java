package dev.sluice.controlplane.xds;

import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an interceptor that may wait on I/O before it lets a call in (a bootstrap token looked up in
 * the store, a service-account token sent to the Kubernetes API server's TokenReview, an RBAC
 * question) on an executor of its own, so that a port can handle its calls on the transport's
 * threads (grpc-java's direct executor) without an event loop, and every call on it, waiting for
 * the API server. That interceptor, and the rest of the chain it starts, run with the call's
 * context; what the client does meanwhile (a cancel, readiness) is held and handed to the listener
 * it returns, in order; everything after goes to that listener directly. Callbacks stay one at a
 * time, as gRPC promises a listener.
 */
final class OffThreadAdmission implements ServerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(OffThreadAdmission.class);

  private final ServerInterceptor admission;
  private final Executor executor;

  OffThreadAdmission(ServerInterceptor admission, Executor executor) {
    this.admission = admission;
    this.executor = executor;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    Context context = Context.current();
    Held<Q> held = new Held<>(context);
    try {
      executor.execute(() -> held.release(admit(context, call, headers, next)));
    } catch (RejectedExecutionException e) {
      call.close(Status.UNAVAILABLE.withDescription("the control plane is stopping"), new Metadata());
      held.release(new ServerCall.Listener<>() {});
    }
    return held;
  }

  private <Q, R> ServerCall.Listener<Q> admit(Context context, ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    if (context.isCancelled()) {
      return new ServerCall.Listener<>() {}; // the client left while the call waited for its turn
    }
    Context previous = context.attach();
    try {
      return admission.interceptCall(call, headers, next);
    } catch (RuntimeException e) {
      // What gRPC does when a call cannot start: end it, say nothing of why to the client.
      log.error("could not start {} from {}", call.getMethodDescriptor().getFullMethodName(),
          call.getAttributes().get(io.grpc.Grpc.TRANSPORT_ATTR_REMOTE_ADDR), e);
      call.close(Status.INTERNAL.withDescription("the call could not start"), new Metadata());
      return new ServerCall.Listener<>() {};
    } finally {
      context.detach(previous);
    }
  }

  /** A listener that holds the callbacks made before the call's own listener exists. */
  static final class Held<Q> extends ServerCall.Listener<Q> {
    private final Object lock = new Object();
    private final Context context;
    private List<Consumer<ServerCall.Listener<Q>>> pending = new ArrayList<>(); // guarded by lock; null once released
    private volatile ServerCall.Listener<Q> target;

    Held(Context context) {
      this.context = context;
    }

    /** The call's listener exists: hand it what was held, in order, then everything directly. */
    void release(ServerCall.Listener<Q> listener) {
      target = listener;
      while (true) {
        List<Consumer<ServerCall.Listener<Q>>> batch;
        synchronized (lock) {
          if (pending.isEmpty()) {
            pending = null;
            return;
          }
          batch = pending;
          pending = new ArrayList<>();
        }
        Context previous = context.attach();
        try {
          for (Consumer<ServerCall.Listener<Q>> callback : batch) {
            try {
              callback.accept(listener);
            } catch (RuntimeException e) {
              // On the transport's thread gRPC would end the call; here the rest must still be handed over.
              log.error("a held callback of an admitted call failed", e);
            }
          }
        } finally {
          context.detach(previous);
        }
      }
    }

    private void deliver(Consumer<ServerCall.Listener<Q>> callback) {
      synchronized (lock) {
        if (pending != null) {
          pending.add(callback);
          return;
        }
      }
      callback.accept(target);
    }

    @Override
    public void onMessage(Q message) {
      deliver(l -> l.onMessage(message));
    }

    @Override
    public void onHalfClose() {
      deliver(ServerCall.Listener::onHalfClose);
    }

    @Override
    public void onCancel() {
      deliver(ServerCall.Listener::onCancel);
    }

    @Override
    public void onComplete() {
      deliver(ServerCall.Listener::onComplete);
    }

    @Override
    public void onReady() {
      deliver(ServerCall.Listener::onReady);
    }
  }
}
