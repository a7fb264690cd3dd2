package dev.sluice.controlplane.ca;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Whether a stored serving certificate (PEM chain and key, as in a {@code kubernetes.io/tls} Secret)
 * must be issued again: a pure function of the certificate, the current trust bundle, the DNS names
 * wanted and the time, so the caller passes the clock's instant. Reasons name what is wrong, never
 * key material.
 */
public final class ServingCertificateCheck {
  private ServingCertificateCheck() {}

  /**
   * Why the certificate needs to be issued again, or empty when it can stay: it is missing or
   * unparseable, its key does not belong to it, its DNS names differ from {@code dnsNames}, it is past
   * half its lifetime at {@code now} (or not yet valid), or it does not chain to {@code trustBundle}
   * (after a root rotation).
   */
  public static Optional<String> reasonToRenew(String chainPem, String keyPem, List<X509Certificate> trustBundle,
      Set<String> dnsNames, Instant now) {
    if (chainPem == null || chainPem.isBlank() || keyPem == null || keyPem.isBlank()) {
      return Optional.of("missing");
    }
    List<X509Certificate> chain;
    PrivateKey key;
    try {
      chain = Pem.readCertificates(chainPem);
      key = Pem.readPrivateKey(keyPem);
    } catch (IllegalArgumentException e) {
      return Optional.of("unparseable: it " + e.getMessage());
    }
    X509Certificate leaf = chain.get(0);
    if (!keyMatches(key, leaf)) {
      return Optional.of("paired with a key of another certificate");
    }
    Set<String> names = dnsNames(leaf);
    if (!names.equals(new TreeSet<>(dnsNames))) {
      return Optional.of("for the DNS names " + names + " instead of " + new TreeSet<>(dnsNames));
    }
    Instant notBefore = leaf.getNotBefore().toInstant();
    Instant notAfter = leaf.getNotAfter().toInstant();
    Instant halfLife = notBefore.plus(Duration.between(notBefore, notAfter).dividedBy(2));
    if (now.isBefore(notBefore)) {
      return Optional.of("not valid before " + notBefore);
    }
    if (!now.isBefore(halfLife)) {
      return Optional.of("past half its lifetime (" + halfLife + "; expires " + notAfter + ")");
    }
    if (!chains(chain, trustBundle, now)) {
      return Optional.of("not chaining to the current trust bundle");
    }
    return Optional.empty();
  }

  /** The certificate's dNSName SANs, sorted. */
  static Set<String> dnsNames(X509Certificate certificate) {
    try {
      Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
      return sans == null ? new TreeSet<>() : sans.stream()
          .filter(san -> Integer.valueOf(2).equals(san.get(0)))
          .map(san -> (String) san.get(1))
          .collect(Collectors.toCollection(TreeSet::new));
    } catch (CertificateParsingException e) {
      return new TreeSet<>();
    }
  }

  private static boolean keyMatches(PrivateKey key, X509Certificate leaf) {
    try {
      return Certificates.keyMatches(key, leaf);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** PKIX validation at {@code now} of {@code chain} (leaf first) up to one of {@code trustBundle}. */
  static boolean chains(List<X509Certificate> chain, List<X509Certificate> trustBundle, Instant now) {
    if (trustBundle.isEmpty()) {
      return false;
    }
    List<X509Certificate> path = new ArrayList<>(chain);
    path.removeIf(trustBundle::contains);
    if (path.isEmpty()) {
      return false; // the "leaf" is a root itself
    }
    try {
      Set<TrustAnchor> anchors = trustBundle.stream().map(c -> new TrustAnchor(c, null)).collect(Collectors.toSet());
      PKIXParameters parameters = new PKIXParameters(anchors);
      parameters.setRevocationEnabled(false);
      parameters.setDate(Date.from(now));
      CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path),
          parameters);
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
