package dev.sluice.controlplane.security;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;

/** An authenticated REST caller in Spring Security's context. */
final class ApiAuthentication extends AbstractAuthenticationToken {
  private final ApiPrincipal principal;

  ApiAuthentication(ApiPrincipal principal) {
    super(List.of());
    this.principal = principal;
    setAuthenticated(true);
  }

  @Override
  public Object getCredentials() {
    return "";
  }

  @Override
  public ApiPrincipal getPrincipal() {
    return principal;
  }
}
