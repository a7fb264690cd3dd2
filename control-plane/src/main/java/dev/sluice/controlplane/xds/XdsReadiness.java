package dev.sluice.controlplane.xds;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Ready once the store is loaded and the first snapshot of every group is built. Until then xDS
 * streams are refused with UNAVAILABLE (a proxy retries; it never receives an empty configuration
 * in place of a good one) and the readiness probe is down.
 */
final class XdsReadiness implements ServerInterceptor, HealthIndicator {
  private final AtomicBoolean ready = new AtomicBoolean();

  void markReady() {
    ready.set(true);
  }

  boolean isReady() {
    return ready.get();
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    if (!ready.get()) {
      call.close(Status.UNAVAILABLE.withDescription("the control plane is loading its store; retry shortly"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {};
  }

  @Override
  public Health health() {
    return ready.get()
        ? Health.up().build()
        : Health.down().withDetail("reason", "store not loaded or first snapshot not built").build();
  }
}
