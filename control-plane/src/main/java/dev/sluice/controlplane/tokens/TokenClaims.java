package dev.sluice.controlplane.tokens;

import java.time.Instant;

/**
 * What a bootstrap token says: who the proxy is, the one node id and role it may use, and until when.
 *
 * @param id the token's id ({@code jti}); names no secret, used to list and revoke it
 * @param namespace the identity's namespace
 * @param serviceAccount the identity's service account
 * @param nodeId the node id the proxy must use
 * @param role the proxy role it must take ({@code gateway})
 * @param issuedAt when it was minted
 * @param expiresAt when it stops holding
 */
public record TokenClaims(String id, String namespace, String serviceAccount, String nodeId, String role,
    Instant issuedAt, Instant expiresAt) {}
