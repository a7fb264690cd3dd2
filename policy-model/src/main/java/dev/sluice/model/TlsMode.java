package dev.sluice.model;

/**
 * How the servers of a route's versions are reached, and how they accept connections.
 *
 * <p>MUTUAL and PERMISSIVE look the same to a client: Envoy clients originate mutual TLS in both,
 * and servers in both modes accept it. They differ on the server side only, at the sidecar's
 * inbound listener: MUTUAL servers refuse plaintext, PERMISSIVE servers also accept it, so clients
 * without a sidecar keep working while a route moves to MUTUAL.
 */
public enum TlsMode {
  /** Mutual TLS only: clients present a certificate and check the server's identity. */
  MUTUAL,
  /** Clients originate mutual TLS; servers accept mutual TLS and plaintext. */
  PERMISSIVE,
  /** Plaintext, as a route without {@code tls}. */
  DISABLED
}
