package dev.sluice.controlplane.xds;

import dev.sluice.controlplane.security.ApiCallers;
import dev.sluice.controlplane.security.ApiPrincipal;
import dev.sluice.controlplane.security.ApiRules;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CSDS shows what every proxy runs, so it asks what {@code GET /api/v1/proxies} asks: a bearer token
 * ({@code authorization} metadata) of a viewer in all namespaces, an API token or, in Kubernetes mode, a
 * Kubernetes token RBAC allows to list ModelRoutes everywhere. Without it the call ends UNAUTHENTICATED,
 * with a token that may not, PERMISSION_DENIED; neither says more.
 */
final class CsdsAuthorization implements ServerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(CsdsAuthorization.class);
  static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final ApiCallers callers;

  CsdsAuthorization(ApiCallers callers) {
    this.callers = callers;
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    Optional<ApiPrincipal> principal = callers.authenticateHeader(headers.get(AUTHORIZATION));
    Status refusal = null;
    if (principal.isEmpty()) {
      refusal = Status.UNAUTHENTICATED.withDescription("CSDS needs 'authorization: Bearer <token>'");
    } else if (!callers.allows(principal.get(), ApiRules.Access.VIEW_ALL, "GET", "/csds", Map.of())) {
      refusal = Status.PERMISSION_DENIED.withDescription("the token may not view every proxy");
    }
    if (refusal != null) {
      log.warn("refused CSDS {} for {}: {}", call.getMethodDescriptor().getBareMethodName(),
          principal.map(ApiPrincipal::name).orElse("a caller without a valid token"), refusal.getCode());
      call.close(refusal, new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return next.startCall(call, headers);
  }
}
