package dev.sluice.controlplane.xds;

import dev.sluice.controlplane.identity.AuthenticationException;
import dev.sluice.controlplane.identity.ProvenProxy;
import dev.sluice.controlplane.identity.ProxyAuthenticators;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.SocketAddress;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secure port's gatekeeper: every call must carry a credential that proves an identity
 * ({@code authorization: Bearer ...}), else it ends with UNAUTHENTICATED before the xDS service sees
 * it. The proven proxy rides in the call's gRPC {@link Context}, where {@link StreamRegistry} pins it
 * to the stream. Every open call's credential is checked again by {@link #recheck}, and the call
 * ends when it no longer holds (revoked, expired).
 */
final class AuthenticatedStreams implements ServerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(AuthenticatedStreams.class);
  static final Context.Key<ProvenProxy> PROVEN = Context.key("sluice.proven-proxy");
  static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final ProxyAuthenticators authenticators;
  private final Clock clock;
  private final Map<EndableCall<?, ?>, ProvenProxy> open = new ConcurrentHashMap<>();
  private final Consumer<ProvenProxy> onEnded;

  /**
   * @param onEnded told of every proxy whose stream was ended because its credential stopped
   *     holding, e.g. to renew its identity's key at once
   */
  AuthenticatedStreams(ProxyAuthenticators authenticators, Clock clock, Consumer<ProvenProxy> onEnded) {
    this.authenticators = authenticators;
    this.clock = clock;
    this.onEnded = onEnded;
  }

  /** The proxy proven on the current call, or null on the plaintext port. */
  static ProvenProxy current() {
    return PROVEN.get();
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    ProvenProxy proven;
    try {
      proven = authenticators.authenticate(headers.get(AUTHORIZATION), clock.instant());
    } catch (AuthenticationException e) {
      log.warn("refused xDS call from {}: {}", peer(call), e.getMessage());
      call.close(Status.UNAUTHENTICATED.withDescription(e.getMessage()), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    EndableCall<Q, R> endable = new EndableCall<>(call);
    open.put(endable, proven);
    ServerCall.Listener<Q> service = Contexts.interceptCall(Context.current().withValue(PROVEN, proven), endable, headers, next);
    return EndableCall.cleanUpOnClose(service, () -> open.remove(endable));
  }

  /**
   * The same check for a call that carries a credential; a call without one goes on unauthenticated
   * (no proven proxy in its context), for a service that decides itself what such a call may do
   * (the access-log service: {@link MeasurementGates}).
   */
  ServerInterceptor whenPresented() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        return headers.containsKey(AUTHORIZATION) ? AuthenticatedStreams.this.interceptCall(call, headers, next)
            : next.startCall(call, headers);
      }
    };
  }

  /** Ends every open call whose credential no longer holds; returns how many. */
  int recheck() {
    int ended = 0;
    for (Map.Entry<EndableCall<?, ?>, ProvenProxy> e : open.entrySet()) {
      ProvenProxy proxy = e.getValue();
      try {
        Optional<String> reason = authenticators.recheck(proxy, clock.instant());
        if (reason.isPresent() && e.getKey().end(Status.UNAUTHENTICATED.withDescription(reason.get()))) {
          open.remove(e.getKey());
          ended++;
          log.warn("closed xDS stream of node {} ({}): {}", proxy.nodeId(), proxy.identity(), reason.get());
          onEnded.accept(proxy);
        }
      } catch (RuntimeException ex) {
        log.error("could not recheck the credential of node {} ({}); trying again on the next round",
            proxy.nodeId(), proxy.identity(), ex);
      }
    }
    return ended;
  }

  int openCalls() {
    return open.size();
  }

  private static String peer(ServerCall<?, ?> call) {
    SocketAddress address = call.getAttributes().get(io.grpc.Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    return address == null ? "(unknown peer)" : address.toString();
  }
}
