package dev.sluice.controlplane.ca;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Test material made here, independently of the code under test: an "external" PKI and PEM files. */
final class TestPki {
  private static final AtomicLong SERIALS = new AtomicLong(1000);

  /** A certificate and its key pair. */
  record Pair(X509Certificate certificate, KeyPair keys) {
    PrivateKey key() {
      return keys.getPrivate();
    }
  }

  private TestPki() {}

  static KeyPair ecKeys() throws Exception {
    return ecKeys("secp256r1");
  }

  static KeyPair ecKeys(String curve) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec(curve));
    return generator.generateKeyPair();
  }

  static KeyPair rsaKeys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  static Pair root(String cn, Instant from, Instant to) throws Exception {
    KeyPair keys = ecKeys();
    return new Pair(certificate(new X500Name("CN=" + cn), keys, new X500Name("CN=" + cn), keys.getPrivate(), from, to, 1,
        KeyUsage.keyCertSign | KeyUsage.cRLSign), keys);
  }

  static Pair intermediate(String cn, Pair issuer, Instant from, Instant to) throws Exception {
    return issued(cn, ecKeys(), issuer, from, to, 0, KeyUsage.keyCertSign | KeyUsage.cRLSign);
  }

  /** {@code pathLength} -1 makes a certificate with basicConstraints CA=false. */
  static Pair issued(String cn, KeyPair keys, Pair issuer, Instant from, Instant to, int pathLength, int keyUsage)
      throws Exception {
    X500Name issuerName = X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
    return new Pair(certificate(new X500Name("CN=" + cn), keys, issuerName, issuer.key(), from, to, pathLength, keyUsage), keys);
  }

  private static X509Certificate certificate(X500Name subjectName, KeyPair keys, X500Name issuerName, PrivateKey issuerKey,
      Instant from, Instant to, int pathLength, int keyUsage) throws Exception {
    X509v3CertificateBuilder builder = new X509v3CertificateBuilder(issuerName, BigInteger.valueOf(SERIALS.incrementAndGet()),
        Date.from(from), Date.from(to), subjectName, SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()));
    builder.addExtension(Extension.basicConstraints, true,
        pathLength < 0 ? new BasicConstraints(false) : new BasicConstraints(pathLength));
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
    String algorithm = issuerKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKey)));
  }

  static Path writeCertificates(Path file, X509Certificate... certificates) throws Exception {
    StringBuilder pem = new StringBuilder();
    for (X509Certificate certificate : certificates) {
      pem.append(block("CERTIFICATE", certificate.getEncoded()));
    }
    return Files.writeString(file, pem);
  }

  /** PKCS#8 {@code PRIVATE KEY}. */
  static Path writePkcs8(Path file, PrivateKey key) throws IOException {
    return Files.writeString(file, block("PRIVATE KEY", key.getEncoded()));
  }

  /** OpenSSL's traditional format: SEC1 {@code EC PRIVATE KEY} (with the curve, as OpenSSL writes it) or PKCS#1. */
  static Path writeTraditional(Path file, KeyPair keys) throws IOException {
    if (keys.getPrivate() instanceof ECPrivateKey ec) {
      SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
      byte[] sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, ec.getS(), publicKey.getPublicKeyData(),
          publicKey.getAlgorithm().getParameters()).getEncoded();
      return Files.writeString(file, block("EC PRIVATE KEY", sec1));
    }
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(keys);
    }
    return Files.writeString(file, out.toString());
  }

  static List<X509Certificate> parseCertificates(String pem) throws Exception {
    return new ArrayList<>(CertificateFactory.getInstance("X.509")
        .generateCertificates(new java.io.ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
        .stream().map(X509Certificate.class::cast).toList());
  }

  private static String block(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
