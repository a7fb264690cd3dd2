package dev.sluice.controlplane.identity;

import java.time.Instant;
import java.util.Optional;

/**
 * One way for a proxy to prove who it is on the secure xDS port: Sluice's bootstrap tokens everywhere,
 * Kubernetes service-account tokens checked by TokenReview in Kubernetes mode. Each is a Spring bean;
 * {@link ProxyAuthenticators} asks them in turn.
 */
public interface ProxyAuthenticator {
  /**
   * Checks a bearer credential.
   *
   * @return the proven proxy, or empty when the credential is not of this authenticator's kind
   * @throws AuthenticationException when it is of this kind but does not hold (forged, expired,
   *     revoked, unknown); the message says which, and names no secret
   */
  Optional<ProvenProxy> authenticate(String bearer, Instant now) throws AuthenticationException;

  /**
   * Checks again a credential this authenticator accepted earlier; called for every open stream
   * every few seconds, so it must not do I/O per call.
   *
   * @return why it no longer holds, or empty while it does
   */
  Optional<String> recheck(ProvenProxy proxy, Instant now);

  /** Runs {@code listener} after a credential of this kind is revoked, so open streams are rechecked at once. */
  default void onRevoke(Runnable listener) {}
}
