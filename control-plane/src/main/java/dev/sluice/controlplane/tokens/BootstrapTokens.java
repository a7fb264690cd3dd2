package dev.sluice.controlplane.tokens;

import dev.sluice.controlplane.identity.AuthenticationException;
import dev.sluice.controlplane.identity.ProvenProxy;
import dev.sluice.controlplane.identity.ProxyAuthenticator;
import dev.sluice.translate.ProxyRole;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mints, checks and revokes bootstrap tokens: the credential of a proxy outside Kubernetes. A token
 * holds while its signature verifies, it has not expired, and it is in the store unrevoked.
 *
 * <p>Thread-safe. Revocations are kept in memory too, so that rechecking every open stream every
 * few seconds costs no I/O; a revocation by another replica (Kubernetes mode) arrives through the
 * store and closes this replica's streams of that token as a local one does.
 */
public final class BootstrapTokens implements ProxyAuthenticator {
  private static final Logger log = LoggerFactory.getLogger(BootstrapTokens.class);

  /** A new token and what it says; {@code toString} leaves the token out. */
  public record Minted(TokenClaims claims, String token) {
    @Override
    public String toString() {
      return "Minted[" + claims + "]";
    }
  }

  private final TokenSigner signer;
  private final TokenStore store;
  private final Clock clock;
  private final TokenProperties properties;
  private final Set<String> revoked = ConcurrentHashMap.newKeySet();
  private final List<Runnable> revocationListeners = new CopyOnWriteArrayList<>();

  BootstrapTokens(TokenSigner signer, TokenStore store, Clock clock, TokenProperties properties) {
    this.signer = signer;
    this.store = store;
    this.clock = clock;
    this.properties = properties;
    revoked.addAll(store.revokedUnexpired(clock.instant()));
    store.onRevokedElsewhere(id -> {
      if (revoked.add(id)) {
        log.warn("bootstrap token {} was revoked by another replica", id);
        revocationListeners.forEach(Runnable::run);
      }
    });
  }

  public TokenProperties properties() {
    return properties;
  }

  /** Mints and records a token; the caller has checked the arguments. */
  public Minted mint(String namespace, String serviceAccount, String nodeId, ProxyRole role, Duration ttl) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    TokenClaims claims = new TokenClaims(UUID.randomUUID().toString(), namespace, serviceAccount, nodeId,
        role.wireName(), now, now.plus(ttl));
    store.insert(claims);
    log.info("minted bootstrap token {} for {}/{} node {} ({}), expires {}", claims.id(), namespace, serviceAccount,
        nodeId, role.wireName(), claims.expiresAt());
    return new Minted(claims, signer.sign(claims));
  }

  @Override
  public Optional<ProvenProxy> authenticate(String bearer, Instant now) throws AuthenticationException {
    if (!TokenSigner.looksLikeOurs(bearer)) {
      return Optional.empty();
    }
    TokenClaims c;
    try {
      c = signer.verify(bearer);
    } catch (TokenSigner.Invalid e) {
      throw new AuthenticationException(e.getMessage());
    }
    if (!now.isBefore(c.expiresAt())) {
      throw new AuthenticationException("bootstrap token " + c.id() + " expired at " + c.expiresAt());
    }
    TokenStore.Row row = store.find(c.id())
        .orElseThrow(() -> new AuthenticationException("bootstrap token " + c.id() + " is not known to this control plane"));
    if (row.revokedAt() != null || revoked.contains(c.id())) {
      throw new AuthenticationException("bootstrap token " + c.id() + " was revoked");
    }
    ProxyRole role = ProxyRole.fromWireName(c.role())
        .orElseThrow(() -> new AuthenticationException("bootstrap token " + c.id() + " names an unknown role"));
    return Optional.of(new ProvenProxy(c.namespace(), c.serviceAccount(), c.nodeId(), role, c.expiresAt(), c.id(), this));
  }

  @Override
  public Optional<String> recheck(ProvenProxy proxy, Instant now) {
    return revoked.contains(proxy.credentialId())
        ? Optional.of("bootstrap token " + proxy.credentialId() + " was revoked")
        : Optional.empty();
  }

  /** Revokes a token; streams it opened are closed at once. False when there is no such token. */
  public boolean revoke(String id) {
    // Marked before the store hears of it, so its echo from a shared store is not taken for another
    // replica's revocation.
    boolean fresh = revoked.add(id);
    if (!store.revoke(id, clock.instant())) {
      if (fresh) {
        revoked.remove(id);
      }
      return false;
    }
    if (fresh) {
      log.warn("revoked bootstrap token {}", id);
    }
    revocationListeners.forEach(Runnable::run);
    return true;
  }

  /** Runs after every revocation, on the revoking thread. */
  @Override
  public void onRevoke(Runnable listener) {
    revocationListeners.add(listener);
  }

  List<TokenStore.Row> list(String namespace) {
    return store.list(namespace);
  }

  Optional<TokenStore.Row> find(String id) {
    return store.find(id);
  }
}
