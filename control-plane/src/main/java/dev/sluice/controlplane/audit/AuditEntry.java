package dev.sluice.controlplane.audit;

import dev.sluice.model.FieldError;
import dev.sluice.model.ModelRoute;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What one write request did, gathered while it runs and written as one audit line when it ends
 * ({@link AuditFilter}). The filter opens it from the URL; handlers add what only they know (the
 * generations a write moved between, the token minted); {@code Problems} adds why a write was refused.
 *
 * <p>Not thread-safe: confined to the thread serving its request.
 */
public final class AuditEntry {
  static final String ATTRIBUTE = AuditEntry.class.getName();

  final AuditedWrites.Write write;
  final boolean dryRun;
  String namespace;
  String name;
  Long generationBefore;
  Long generationAfter;
  String resourceVersionAfter;
  boolean unchanged;
  Token token;
  String reason;
  List<FieldError> errors = List.of();

  /** What a bootstrap token says, never the token. */
  record Token(String serviceAccount, String nodeId, String role, Instant issuedAt, Instant expiresAt) {
    Duration ttl() {
      return Duration.between(issuedAt, expiresAt);
    }
  }

  AuditEntry(AuditedWrites.Write write, String namespace, String name, boolean dryRun) {
    this.write = write;
    this.namespace = namespace;
    this.name = name;
    this.dryRun = dryRun;
  }

  /**
   * The entry of the request being served; for a request that is not an audited write, a detached
   * entry that is never written, so that callers need not check.
   */
  public static AuditEntry of(HttpServletRequest request) {
    return request.getAttribute(ATTRIBUTE) instanceof AuditEntry entry ? entry : new AuditEntry(null, null, null, false);
  }

  /**
   * A ModelRoute write that went through: stored, deleted, or found identical to what was stored.
   *
   * @param before the route as stored before, or null when the write created it
   * @param after the route as stored after, or null when the write deleted it
   * @param changed false when the write was identical to what was stored
   */
  public void wrote(ModelRoute before, ModelRoute after, boolean changed) {
    generationBefore = before == null ? null : before.metadata().generation();
    generationAfter = after == null ? null : after.metadata().generation();
    resourceVersionAfter = after == null ? null : after.metadata().resourceVersion();
    unchanged = !changed;
  }

  /** The route as stored when the request came: before and after, until the handler says otherwise. */
  void current(ModelRoute route) {
    generationBefore = route.metadata().generation();
    generationAfter = generationBefore;
    resourceVersionAfter = route.metadata().resourceVersion();
  }

  /** A bootstrap token minted or revoked: its id and claims. */
  public void token(String id, String namespace, String serviceAccount, String nodeId, String role, Instant issuedAt,
      Instant expiresAt) {
    this.name = id;
    this.namespace = namespace;
    this.token = new Token(serviceAccount, nodeId, role, issuedAt, expiresAt);
  }

  /** Why the request was refused; the status is the response's. */
  public void rejected(String reason, List<FieldError> errors) {
    this.reason = reason;
    this.errors = List.copyOf(errors);
  }
}
