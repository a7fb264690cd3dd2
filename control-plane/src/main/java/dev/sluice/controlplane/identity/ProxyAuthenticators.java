package dev.sluice.controlplane.identity;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Every {@link ProxyAuthenticator} in turn: the first that recognises a credential decides. */
public final class ProxyAuthenticators {
  private final List<ProxyAuthenticator> authenticators;

  public ProxyAuthenticators(List<ProxyAuthenticator> authenticators) {
    this.authenticators = List.copyOf(authenticators);
  }

  /**
   * The proxy an {@code authorization} header value proves.
   *
   * @throws AuthenticationException when there is no bearer credential, or none holds
   */
  public ProvenProxy authenticate(String authorization, Instant now) throws AuthenticationException {
    if (authorization == null || authorization.isBlank()) {
      throw new AuthenticationException("no credential: send 'authorization: Bearer <token>' as gRPC metadata");
    }
    String bearer = authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).trim() : null;
    if (bearer == null || bearer.isEmpty()) {
      throw new AuthenticationException("the authorization metadata must be 'Bearer <token>'");
    }
    for (ProxyAuthenticator a : authenticators) {
      Optional<ProvenProxy> proven = a.authenticate(bearer, now);
      if (proven.isPresent()) {
        return proven.get();
      }
    }
    throw new AuthenticationException("the bearer token is not one Sluice issued or can check");
  }

  /** Why a proxy's credential no longer holds, or empty while it does. */
  public Optional<String> recheck(ProvenProxy proxy, Instant now) {
    if (!now.isBefore(proxy.expiresAt())) {
      return Optional.of("credential " + proxy.credentialId() + " expired at " + proxy.expiresAt());
    }
    return proxy.source().recheck(proxy, now);
  }
}
