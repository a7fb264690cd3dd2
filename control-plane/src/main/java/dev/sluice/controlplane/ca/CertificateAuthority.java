package dev.sluice.controlplane.ca;

import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;

/**
 * Issues X.509-SVIDs: one URI SAN {@code spiffe://<trust-domain>/ns/<ns>/sa/<sa>} (critical, the subject
 * is empty), CA=false, digitalSignature and keyEncipherment, serverAuth and clientAuth, a fresh EC P-256
 * key per certificate (Envoy cannot send a CSR). The lifetime is the shortest of the asked TTL,
 * {@code sluice.ca.max-workload-ttl} and what is left of the signing certificate and the chain above it.
 * Key pairs, and signatures by a P-256 CA key, go through {@link P256}: with SunEC's arithmetic JDK 17
 * issued about 600 a second on one core, short of B5's 1,000.
 *
 * <p>Thread-safe: every field is immutable, each issuance makes its own key generator and signer, and
 * {@link SecureRandom} is safe to share.
 */
public final class CertificateAuthority {
  private static final X500Name EMPTY_SUBJECT = new X500Name(new RDN[0]);

  private final CaRoot root;
  private final CaProperties properties;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final X500Name issuer;
  private final AuthorityKeyIdentifier authorityKeyId;
  private final List<X509Certificate> chainTail;
  private final Instant usableFrom;
  private final Instant usableUntil;
  private final String trustBundlePem;

  public CertificateAuthority(CaRoot root, CaProperties properties, Clock clock) {
    this.root = Objects.requireNonNull(root, "root");
    this.properties = Objects.requireNonNull(properties, "properties");
    this.clock = Objects.requireNonNull(clock, "clock");
    X509Certificate signing = root.signingCertificate();
    this.issuer = X500Name.getInstance(signing.getSubjectX500Principal().getEncoded());
    this.authorityKeyId = Certificates.authorityKeyId(signing);
    List<X509Certificate> tail = new ArrayList<>(root.path());
    if (tail.size() > 1 && Certificates.selfIssued(tail.get(tail.size() - 1))) {
      tail.remove(tail.size() - 1); // the root travels in the trust bundle, not in the chain
    }
    this.chainTail = List.copyOf(tail);
    this.usableFrom = Certificates.notBefore(signing);
    this.usableUntil = root.path().stream().map(Certificates::notAfter).min(Comparator.naturalOrder()).orElseThrow();
    this.trustBundlePem = Pem.certificates(root.trustBundle());
  }

  /** A workload certificate with {@code sluice.ca.workload-ttl}. */
  public IssuedCertificate issue(WorkloadIdentity id) {
    return issue(id, properties.workloadTtl());
  }

  /**
   * A workload certificate valid from a minute ago (clock skew) for the shortest of {@code ttl},
   * {@code sluice.ca.max-workload-ttl} and the CA's remaining life.
   *
   * @throws IllegalArgumentException when {@code ttl} is not positive
   * @throws IllegalStateException when the signing certificate (or one above it) has no life left
   */
  public IssuedCertificate issue(WorkloadIdentity id, Duration ttl) {
    Objects.requireNonNull(id, "id");
    return sign(spiffeId(id), ttl, List.of());
  }

  /**
   * The control plane's serving certificate for its TLS xDS port: the SPIFFE ID of
   * ({@code server-namespace}, {@code server-service-account}) plus {@code server-dns-names} and
   * {@code server-ip-addresses}, with the default workload TTL.
   */
  public IssuedCertificate issueServer() {
    List<GeneralName> extra = new ArrayList<>();
    properties.serverDnsNames().forEach(name -> extra.add(new GeneralName(GeneralName.dNSName, name)));
    properties.serverIpAddresses().forEach(address -> extra.add(new GeneralName(GeneralName.iPAddress, address)));
    return sign(spiffeId(properties.serverIdentity()), properties.workloadTtl(), extra);
  }

  /**
   * A serving certificate for a service other than the control plane (the sidecar injector's webhook):
   * the SPIFFE ID of {@code id} plus {@code dnsNames}, for the shortest of {@code ttl},
   * {@code sluice.ca.max-workload-ttl} and the CA's remaining life.
   *
   * @throws IllegalArgumentException when {@code dnsNames} is empty or {@code ttl} is not positive
   * @throws IllegalStateException when the signing certificate (or one above it) has no life left
   */
  public IssuedCertificate issueServer(WorkloadIdentity id, List<String> dnsNames, Duration ttl) {
    Objects.requireNonNull(id, "id");
    if (dnsNames.isEmpty()) {
      throw new IllegalArgumentException("a serving certificate needs at least one DNS name");
    }
    List<GeneralName> extra = new ArrayList<>();
    dnsNames.forEach(name -> extra.add(new GeneralName(GeneralName.dNSName, name)));
    return sign(spiffeId(id), ttl, extra);
  }

  private IssuedCertificate sign(String spiffeId, Duration ttl, List<GeneralName> extraNames) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive, was " + ttl);
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    if (!now.isBefore(usableUntil)) {
      throw new IllegalStateException("the CA cannot issue: its signing certificate or chain expired at " + usableUntil);
    }
    if (now.isBefore(usableFrom)) {
      throw new IllegalStateException("the CA cannot issue: its signing certificate is not valid before " + usableFrom);
    }
    Duration lifetime = Collections.min(List.of(ttl, properties.maxWorkloadTtl()));
    Instant notAfter = Collections.min(List.of(now.plus(lifetime), usableUntil));
    Instant notBefore = Collections.max(List.of(now.minus(Certificates.CLOCK_SKEW), usableFrom));

    P256.Keys keys = P256.newKeyPair(random);
    List<GeneralName> names = new ArrayList<>();
    names.add(new GeneralName(GeneralName.uniformResourceIdentifier, spiffeId));
    names.addAll(extraNames);
    X509v3CertificateBuilder builder = new X509v3CertificateBuilder(issuer, Certificates.randomSerial(random),
        Date.from(notBefore), Date.from(notAfter), EMPTY_SUBJECT, keys.publicKey());
    try {
      builder.addExtension(Extension.subjectAlternativeName, true, new GeneralNames(names.toArray(GeneralName[]::new)));
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      builder.addExtension(Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      builder.addExtension(Extension.subjectKeyIdentifier, false, Certificates.subjectKeyId(keys.publicKey()));
      builder.addExtension(Extension.authorityKeyIdentifier, false, authorityKeyId);
    } catch (CertIOException e) {
      throw new IllegalStateException("cannot encode the extensions of a certificate for " + spiffeId, e);
    }
    X509Certificate leaf = Certificates.sign(builder, root.signingKey(), random);
    List<X509Certificate> chain = new ArrayList<>(chainTail.size() + 1);
    chain.add(leaf);
    chain.addAll(chainTail);
    return new IssuedCertificate(chain, keys.privateKey(), spiffeId);
  }

  /**
   * Whether {@code chain} (leaf first, as a TLS peer presents it) is valid at {@code at} and leads to
   * one of the roots of {@link #trustBundle}.
   */
  public boolean trusts(List<X509Certificate> chain, Instant at) {
    return ServingCertificateCheck.chains(chain, trustBundle(), at);
  }

  /** The roots proxies should trust (today one; a list so a rotation can publish two). */
  public List<X509Certificate> trustBundle() {
    return root.trustBundle();
  }

  /** {@link #trustBundle()} as PEM {@code CERTIFICATE} blocks. */
  public String trustBundlePem() {
    return trustBundlePem;
  }

  /** The certificate that signs every issued certificate: the root, or a plugged-in intermediate. */
  public X509Certificate signingCertificate() {
    return root.signingCertificate();
  }

  /** The signing certificate and the certificates above it, as configured. */
  public List<X509Certificate> caCertificates() {
    return root.path();
  }

  public String trustDomain() {
    return properties.trustDomain();
  }

  /** {@code spiffe://<trust-domain>/ns/<ns>/sa/<sa>}. */
  public String spiffeId(WorkloadIdentity id) {
    return id.spiffeId(properties.trustDomain());
  }

  public CaProperties properties() {
    return properties;
  }

  @Override
  public String toString() {
    return "CertificateAuthority[" + properties.trustDomain() + ", " + root + "]";
  }
}
