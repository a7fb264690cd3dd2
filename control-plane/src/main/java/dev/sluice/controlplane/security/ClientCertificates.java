package dev.sluice.controlplane.security;

import dev.sluice.controlplane.ca.CertificateAuthority;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Callers on the REST API's mutual-TLS port who present a client certificate: one from Sluice's own
 * CA, valid now, naming a SPIFFE ID in the trust domain (as a pipeline bootstrapped like a proxy gets
 * one) is that SPIFFE ID, with the grants {@code sluice.api.identities} gives it, or none. It must be
 * signed by Sluice's signing certificate itself and allow client authentication. Any other
 * certificate proves nothing (401): another CA's, an expired one, one without a SPIFFE ID.
 */
final class ClientCertificates {
  /** Where the servlet container puts the peer's chain. */
  static final String ATTRIBUTE = "jakarta.servlet.request.X509Certificate";
  private static final int URI_NAME = 6;
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  private final CertificateAuthority ca;
  private final Clock clock;
  private final Map<String, ApiPrincipal> identities;

  private ClientCertificates(CertificateAuthority ca, Clock clock, Map<String, ApiPrincipal> identities) {
    this.ca = ca;
    this.clock = clock;
    this.identities = Map.copyOf(identities);
  }

  /** Checks each identity; errors name the field, as {@code sluice.api.identities[0].spiffe-id}. */
  static ClientCertificates of(List<ApiProperties.Identity> identities, CertificateAuthority ca, Clock clock) {
    Map<String, ApiPrincipal> byId = new HashMap<>();
    String prefix = "spiffe://" + ca.trustDomain() + "/";
    for (int i = 0; i < identities.size(); i++) {
      ApiProperties.Identity identity = identities.get(i);
      String at = "sluice.api.identities[" + i + "]";
      if (identity.spiffeId() == null || !identity.spiffeId().startsWith(prefix)) {
        throw new IllegalArgumentException(at + ".spiffe-id must be a SPIFFE ID in the trust domain (" + prefix
            + "...), was '" + identity.spiffeId() + "'");
      }
      if (identity.grants().isEmpty()) {
        throw new IllegalArgumentException(at + ".grants must hold at least one role");
      }
      ApiPrincipal principal = new ApiPrincipal(identity.spiffeId(), ApiPrincipal.Kind.CLIENT_CERTIFICATE,
          ApiTokens.grants(identity.grants(), at + ".grants"));
      if (byId.put(identity.spiffeId(), principal) != null) {
        throw new IllegalArgumentException(at + ".spiffe-id '" + identity.spiffeId() + "' is listed twice");
      }
    }
    return new ClientCertificates(ca, clock, byId);
  }

  Optional<ApiPrincipal> authenticate(X509Certificate[] chain) {
    if (chain == null || chain.length == 0 || !issuedHere(chain[0]) || !ca.trusts(List.of(chain), clock.instant())) {
      return Optional.empty();
    }
    return spiffeId(chain[0]).filter(id -> id.startsWith("spiffe://" + ca.trustDomain() + "/"))
        .map(id -> identities.getOrDefault(id, new ApiPrincipal(id, ApiPrincipal.Kind.CLIENT_CERTIFICATE, List.of())));
  }

  /**
   * Signed by Sluice's own signing certificate for client use: a plugged-in CA's root may sign other
   * CAs (another mesh's, with the same trust domain), whose certificates must not pass as Sluice's.
   */
  private boolean issuedHere(X509Certificate leaf) {
    try {
      X509Certificate signer = ca.signingCertificate();
      if (!leaf.getIssuerX500Principal().equals(signer.getSubjectX500Principal())) {
        return false;
      }
      leaf.verify(signer.getPublicKey());
      List<String> usage = leaf.getExtendedKeyUsage();
      return usage != null && usage.contains(CLIENT_AUTH);
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }

  private static Optional<String> spiffeId(X509Certificate leaf) {
    try {
      Collection<List<?>> names = leaf.getSubjectAlternativeNames();
      if (names == null) {
        return Optional.empty();
      }
      return names.stream().filter(n -> Integer.valueOf(URI_NAME).equals(n.get(0))).map(n -> (String) n.get(1))
          .filter(uri -> uri.startsWith("spiffe://")).findFirst();
    } catch (CertificateParsingException e) {
      return Optional.empty();
    }
  }
}
