package dev.sluice.controlplane.security;

import java.util.Map;
import java.util.Optional;

/**
 * Who a bearer token is and what they may do, for every door of the control plane: the REST API's
 * filters, and the gRPC services that are not xDS (CSDS). API tokens first, then the external callers
 * (Kubernetes) when there are any.
 */
public final class ApiCallers {
  private final ApiTokens tokens;
  private final ExternalCallers external;

  ApiCallers(ApiTokens tokens, ExternalCallers external) {
    this.tokens = tokens;
    this.external = external;
  }

  private static final String BEARER = "Bearer ";

  /** The caller an {@code Authorization} header ({@code Bearer <token>}) proves; empty for any other. */
  public Optional<ApiPrincipal> authenticateHeader(String header) {
    return header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
        ? authenticate(header.substring(BEARER.length()).strip())
        : Optional.empty();
  }

  /** The caller this bearer token proves; empty for a token nobody knows. */
  public Optional<ApiPrincipal> authenticate(String bearer) {
    if (bearer == null || bearer.isEmpty()) {
      return Optional.empty();
    }
    Optional<ApiPrincipal> principal = tokens.authenticate(bearer);
    return principal.isEmpty() && external != null ? external.authenticate(bearer) : principal;
  }

  /**
   * Whether {@code principal} (null: unauthenticated) may make a request that needs {@code access}: by
   * its grants, or for a Kubernetes user by the API server's SubjectAccessReview.
   */
  public boolean allows(ApiPrincipal principal, ApiRules.Access access, String method, String path,
      Map<String, String> variables) {
    if (principal != null && principal.kind() == ApiPrincipal.Kind.KUBERNETES
        && access != ApiRules.Access.PUBLIC && access != ApiRules.Access.AUTHENTICATED) {
      return external != null && external.allows(principal, access, method, path, variables);
    }
    return access.allows(principal, variables);
  }
}
