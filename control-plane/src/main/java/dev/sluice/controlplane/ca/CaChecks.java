package dev.sluice.controlplane.ca;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * Start-up checks of CA material. Each failure is a {@link CaConfigurationException} naming where the
 * material came from (a property and its file) and what is wrong; none quotes key bytes.
 */
final class CaChecks {
  private static final int KEY_CERT_SIGN = 5;

  private CaChecks() {}

  /** Signs a random challenge with the key and verifies it with the certificate's public key. */
  static void keyMatches(PrivateKey key, String keySource, X509Certificate certificate, String certificateSource) {
    boolean matches;
    try {
      matches = Certificates.keyMatches(key, certificate);
    } catch (IllegalArgumentException e) {
      throw new CaConfigurationException(keySource + ": " + e.getMessage());
    }
    if (!matches) {
      throw new CaConfigurationException(keySource + " does not match the certificate in " + certificateSource
          + " (" + certificate.getSubjectX500Principal() + "): a challenge signed with the key does not verify "
          + "with the certificate's public key");
    }
  }

  /** BasicConstraints CA=true and keyUsage keyCertSign. */
  static void isCa(X509Certificate certificate, String source) {
    if (certificate.getBasicConstraints() < 0) {
      throw new CaConfigurationException(source + ": " + certificate.getSubjectX500Principal()
          + " is not a CA certificate (basicConstraints CA=true is missing)");
    }
    boolean[] usage = certificate.getKeyUsage();
    if (usage == null || usage.length <= KEY_CERT_SIGN || !usage[KEY_CERT_SIGN]) {
      throw new CaConfigurationException(source + ": " + certificate.getSubjectX500Principal()
          + " may not sign certificates (keyUsage keyCertSign is missing)");
    }
  }

  static void currentlyValid(X509Certificate certificate, Instant now, String source) {
    if (now.isBefore(Certificates.notBefore(certificate))) {
      throw new CaConfigurationException(source + ": " + certificate.getSubjectX500Principal()
          + " is not valid yet (not before " + Certificates.notBefore(certificate) + ", now " + now + ")");
    }
    if (now.isAfter(Certificates.notAfter(certificate))) {
      throw new CaConfigurationException(source + ": " + certificate.getSubjectX500Principal()
          + " has expired (not after " + Certificates.notAfter(certificate) + ", now " + now + ")");
    }
  }

  /**
   * Each certificate of {@code path} (signing certificate first) is issued and signed by the next,
   * the last verifies itself when it is self-issued, and every path length constraint leaves room
   * for the certificates below it.
   */
  static void chainVerifies(List<X509Certificate> path, List<String> sources) {
    for (int i = 0; i < path.size(); i++) {
      X509Certificate certificate = path.get(i);
      boolean last = i == path.size() - 1;
      if (last && !Certificates.selfIssued(certificate)) {
        break; // an intermediate configured as the trust anchor: nothing above it to check
      }
      X509Certificate issuer = last ? certificate : path.get(i + 1);
      String where = sources.get(i) + (last ? "" : " and " + sources.get(i + 1));
      if (!certificate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
        throw new CaConfigurationException("the chain does not verify (" + where + "): " + describe(i, certificate)
            + " is issued by " + certificate.getIssuerX500Principal() + ", not by the next certificate "
            + issuer.getSubjectX500Principal());
      }
      try {
        certificate.verify(issuer.getPublicKey());
      } catch (GeneralSecurityException e) {
        throw new CaConfigurationException("the chain does not verify (" + where + "): the signature of "
            + describe(i, certificate) + " does not verify with the key of " + issuer.getSubjectX500Principal(), e);
      }
    }
    for (int i = 0; i < path.size(); i++) {
      if (path.get(i).getBasicConstraints() < i) {
        throw new CaConfigurationException(sources.get(i) + ": " + describe(i, path.get(i)) + " allows a path length of "
            + path.get(i).getBasicConstraints() + " but has " + i + " CA certificate(s) below it");
      }
    }
  }

  private static String describe(int index, X509Certificate certificate) {
    return "certificate " + (index + 1) + " (" + certificate.getSubjectX500Principal() + ")";
  }
}
