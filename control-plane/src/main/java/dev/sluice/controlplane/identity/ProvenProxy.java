package dev.sluice.controlplane.identity;

import dev.sluice.translate.ProxyRole;
import java.time.Instant;
import java.util.Objects;

/**
 * Who a proxy has proven to be, and with what. Everything a proxy is given (its certificate's SAN,
 * its node id) comes from here, never from what the proxy's requests say.
 *
 * @param namespace the namespace of the proven identity
 * @param serviceAccount the service account of the proven identity
 * @param nodeId the only node id this proxy may use, or null when the credential does not pin one
 * @param role the only role this proxy may take, or null when the credential does not pin one
 * @param expiresAt when the credential stops holding
 * @param credentialId an id for the credential that names no secret (a token id), for logs and revocation
 * @param source the authenticator that checked the credential, and rechecks it
 */
public record ProvenProxy(String namespace, String serviceAccount, String nodeId, ProxyRole role,
    Instant expiresAt, String credentialId, ProxyAuthenticator source) {
  public ProvenProxy {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(serviceAccount, "serviceAccount");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(credentialId, "credentialId");
    Objects.requireNonNull(source, "source");
  }

  /** {@code namespace/serviceAccount}. */
  public String identity() {
    return namespace + "/" + serviceAccount;
  }

  @Override
  public String toString() {
    return identity() + " (node " + nodeId + ", credential " + credentialId + ")";
  }
}
