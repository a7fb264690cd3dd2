package dev.sluice.controlplane.security;

import java.util.Map;
import java.util.Optional;

/**
 * Callers proven and authorized by someone else: in Kubernetes mode, the API server (TokenReview
 * for who, SubjectAccessReview for what). Asked only for bearer tokens that are no API token.
 */
public interface ExternalCallers {

  /** The caller this bearer token proves, or empty when it proves none (then the request gets 401). */
  Optional<ApiPrincipal> authenticate(String bearer);

  /**
   * Whether {@code principal} may make this request, which needs {@code access}; {@code variables}
   * are the path's ({@code namespace} among them). False when it cannot be asked (fails closed).
   */
  boolean allows(ApiPrincipal principal, ApiRules.Access access, String method, String path, Map<String, String> variables);
}
