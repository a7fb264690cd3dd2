package dev.sluice.controlplane.xds;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.SocketAddress;

/**
 * A server call the control plane can end from another thread, when the credential that opened it
 * stops holding. Ending it sends the status to the proxy; {@link #cleanUpOnClose} then tells the
 * service the call was cancelled, so java-control-plane drops the stream's watches and runs its
 * close callbacks.
 *
 * <p>Thread-safe: every outbound operation holds this call's monitor; after the end they do nothing.
 */
final class EndableCall<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
  private boolean ended; // guarded by this

  EndableCall(ServerCall<Q, R> delegate) {
    super(delegate);
  }

  /** Ends the call with {@code status}; false if it had already ended. */
  synchronized boolean end(Status status) {
    if (ended) {
      return false;
    }
    ended = true;
    super.close(status, new Metadata());
    return true;
  }

  @Override
  public synchronized void sendHeaders(Metadata headers) {
    if (!ended) {
      super.sendHeaders(headers);
    }
  }

  @Override
  public synchronized void sendMessage(R message) {
    if (!ended) {
      super.sendMessage(message);
    }
  }

  @Override
  public synchronized void request(int numMessages) {
    if (!ended) {
      super.request(numMessages);
    }
  }

  @Override
  public synchronized void close(Status status, Metadata trailers) {
    if (!ended) {
      ended = true;
      super.close(status, trailers);
    }
  }

  /**
   * Wraps the service's listener so that java-control-plane always cleans up: a call that ends
   * without the client's half-close (ended by {@link #end}, or closed by the service on an error
   * path that runs no close callbacks) is reported to the service as cancelled, which drops the
   * stream's watches and runs {@code onStreamCloseWithError}. Cleanup is idempotent there.
   */
  static <Q> ServerCall.Listener<Q> cleanUpOnClose(ServerCall.Listener<Q> service, Runnable onClosed) {
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(service) {
      private boolean halfClosed; // listener callbacks are serialized by gRPC

      @Override
      public void onHalfClose() {
        halfClosed = true;
        super.onHalfClose();
      }

      @Override
      public void onComplete() {
        onClosed.run();
        if (halfClosed) {
          super.onComplete();
        } else {
          super.onCancel();
        }
      }

      @Override
      public void onCancel() {
        onClosed.run();
        super.onCancel();
      }
    };
  }

  /** The peer's address of the call being handled, as the transport saw it. */
  static final Context.Key<String> PEER = Context.key("sluice.peer-address");

  /**
   * For every call of both ports: the same cleanup, and the peer's address in the call's context
   * for {@link StreamRegistry} to record.
   */
  static final ServerInterceptor CLEAN_UP = new ServerInterceptor() {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      SocketAddress peer = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
      Context context = Context.current().withValue(PEER, peer == null ? null : peer.toString());
      return cleanUpOnClose(Contexts.interceptCall(context, call, headers, next), () -> {});
    }
  };
}
