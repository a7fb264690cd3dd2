package dev.sluice.controlplane.tokens;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The claims of every minted bootstrap token, and when each was revoked; the token itself is never
 * stored. In SQLite by default; in Kubernetes mode where every replica reads them (a bean of this
 * type switches SQLite off), so a token minted or revoked on one replica holds on all.
 */
public interface TokenStore {
  /** A minted token as stored. */
  record Row(TokenClaims claims, Instant revokedAt) {}

  void insert(TokenClaims claims);

  Optional<Row> find(String id);

  /** All tokens, or those of one namespace, newest first. */
  List<Row> list(String namespace);

  /** Ids of every revoked token that has not expired yet. */
  List<String> revokedUnexpired(Instant now);

  /** Marks a token revoked; true when it exists (revoking twice keeps the first time). */
  boolean revoke(String id, Instant at);

  /** Called with a token's id when another writer revoked it; a store with one writer never calls. */
  default void onRevokedElsewhere(Consumer<String> listener) {}
}
