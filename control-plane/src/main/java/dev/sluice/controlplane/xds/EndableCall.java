package dev.sluice.controlplane.xds;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;

/**
 * A server call the control plane can end from another thread, when the credential that opened it
 * stops holding. Ending it sends the status to the proxy, then tells the service the call was
 * cancelled, so java-control-plane drops the stream's watches and runs its close callbacks.
 *
 * <p>Thread-safe: every outbound operation holds this call's monitor; after the end they do nothing.
 */
final class EndableCall<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
  private boolean ended; // guarded by this
  private volatile boolean endedByUs;

  EndableCall(ServerCall<Q, R> delegate) {
    super(delegate);
  }

  /** Ends the call with {@code status}; false if it had already ended. */
  synchronized boolean end(Status status) {
    if (ended) {
      return false;
    }
    ended = true;
    endedByUs = true;
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
   * Wraps the service's listener: when this call was ended by {@link #end}, the service hears
   * "cancelled" rather than "completed", which is what makes it clean up.
   */
  ServerCall.Listener<Q> listen(ServerCall.Listener<Q> service, Runnable onClosed) {
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(service) {
      @Override
      public void onComplete() {
        onClosed.run();
        if (endedByUs) {
          super.onCancel();
        } else {
          super.onComplete();
        }
      }

      @Override
      public void onCancel() {
        onClosed.run();
        super.onCancel();
      }
    };
  }
}
