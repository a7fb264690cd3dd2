package dev.sluice.controlplane.ca;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Small X.509 helpers shared by root generation and issuance. BouncyCastle builds the structures and
 * does the P-256 arithmetic ({@link P256}); the JDK's providers (SunEC, SunRsaSign) sign with any other
 * key and generate root keys. No provider is named or registered.
 */
final class Certificates {
  /** How far back notBefore is set, so that a peer whose clock is a little behind accepts a new certificate. */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

  private Certificates() {}

  /** A fresh ECDSA P-256 key pair from the JDK. */
  static KeyPair newEcKeyPair(SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot generate EC P-256 keys", e);
    }
  }

  /** A positive serial of 128 bits, 127 of them random (RFC 5280 asks at most 20 octets, CAB 64 random bits). */
  static BigInteger randomSerial(SecureRandom random) {
    return new BigInteger(128, random).setBit(127);
  }

  /** SHA256withECDSA for EC keys, SHA256withRSA for RSA keys. */
  static String signatureAlgorithm(PrivateKey key) {
    return switch (key.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      default -> throw new IllegalArgumentException("keys of algorithm " + key.getAlgorithm() + " cannot sign here; use EC or RSA");
    };
  }

  /**
   * Whether {@code key} belongs to {@code certificate}: a random challenge signed with the key
   * verifies with the certificate's public key. False for keys of different algorithms.
   *
   * @throws IllegalArgumentException when the key's algorithm cannot sign here
   */
  static boolean keyMatches(PrivateKey key, X509Certificate certificate) {
    byte[] challenge = new byte[32];
    new SecureRandom().nextBytes(challenge);
    String algorithm = signatureAlgorithm(key);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false; // e.g. an RSA key against an EC certificate
    }
  }

  /**
   * Signs and returns the JDK's parsed certificate: a P-256 key through {@link P256} (SHA256withECDSA,
   * the cost of every workload certificate), any other key through the JDK's provider.
   */
  static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key, SecureRandom random) {
    try {
      ContentSigner signer = P256.isP256(key)
          ? P256.signer(P256.signingKey(key))
          : new JcaContentSignerBuilder(signatureAlgorithm(key)).setSecureRandom(random).build(key);
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a certificate with the CA key", e);
    }
  }

  /** RFC 5280 method 1: SHA-1 of the subjectPublicKey bits. */
  static SubjectKeyIdentifier subjectKeyId(PublicKey key) {
    return subjectKeyId(SubjectPublicKeyInfo.getInstance(key.getEncoded()));
  }

  /** RFC 5280 method 1: SHA-1 of the subjectPublicKey bits. */
  static SubjectKeyIdentifier subjectKeyId(SubjectPublicKeyInfo key) {
    byte[] bits = key.getPublicKeyData().getBytes();
    try {
      return new SubjectKeyIdentifier(MessageDigest.getInstance("SHA-1").digest(bits));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no SHA-1", e);
    }
  }

  /** The issuer's own key identifier when it carries one (plugged CAs may use another method), else computed. */
  static AuthorityKeyIdentifier authorityKeyId(X509Certificate issuer) {
    byte[] extension = issuer.getExtensionValue(Extension.subjectKeyIdentifier.getId());
    byte[] keyId = extension != null
        ? SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(extension).getOctets()).getKeyIdentifier()
        : subjectKeyId(issuer.getPublicKey()).getKeyIdentifier();
    return new AuthorityKeyIdentifier(keyId);
  }

  static Instant notBefore(X509Certificate certificate) {
    return certificate.getNotBefore().toInstant();
  }

  static Instant notAfter(X509Certificate certificate) {
    return certificate.getNotAfter().toInstant();
  }

  static boolean selfIssued(X509Certificate certificate) {
    return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
  }
}
