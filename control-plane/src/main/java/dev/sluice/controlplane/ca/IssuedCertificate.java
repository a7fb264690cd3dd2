package dev.sluice.controlplane.ca;

import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An issued certificate with its private key. Immutable; the key leaves only through
 * {@link #privateKey()} and {@link #privateKeyPem()}, never through {@link #toString()}.
 */
public final class IssuedCertificate {
  private final List<X509Certificate> chain;
  private final PrivateKey privateKey;
  private final String spiffeId;
  private final String chainPem;

  IssuedCertificate(List<X509Certificate> chain, PrivateKey privateKey, String spiffeId) {
    this.chain = List.copyOf(chain);
    this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
    this.spiffeId = Objects.requireNonNull(spiffeId, "spiffeId");
    this.chainPem = Pem.certificates(this.chain);
  }

  /** Leaf first, then the signing CA and the intermediates above it; never the self-signed root. */
  public List<X509Certificate> chain() {
    return chain;
  }

  public X509Certificate leaf() {
    return chain.get(0);
  }

  public PrivateKey privateKey() {
    return privateKey;
  }

  /** {@link #chain()} as concatenated PEM {@code CERTIFICATE} blocks, leaf first. */
  public String certificateChainPem() {
    return chainPem;
  }

  /** The private key as a PKCS#8 {@code PRIVATE KEY} PEM block. */
  public String privateKeyPem() {
    return Pem.privateKey(privateKey);
  }

  public Instant notBefore() {
    return leaf().getNotBefore().toInstant();
  }

  public Instant notAfter() {
    return leaf().getNotAfter().toInstant();
  }

  /** The URI SAN, {@code spiffe://<trust-domain>/ns/<ns>/sa/<sa>}. */
  public String spiffeId() {
    return spiffeId;
  }

  public BigInteger serialNumber() {
    return leaf().getSerialNumber();
  }

  @Override
  public String toString() {
    return "IssuedCertificate[" + spiffeId + ", serial " + serialNumber().toString(16)
        + ", valid " + notBefore() + " to " + notAfter() + "]";
  }
}
