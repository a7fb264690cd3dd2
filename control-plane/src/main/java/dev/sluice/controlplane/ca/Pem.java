package dev.sluice.controlplane.ca;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * PEM in and out. Writing is plain Base64 in 64-character lines; reading goes through BouncyCastle's
 * parser (structures only) and turns the result into JDK keys and certificates. Parse failures are
 * {@link IllegalArgumentException}s whose message says what was wrong but never quotes the input.
 */
final class Pem {
  private static final Base64.Encoder BASE64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

  private Pem() {}

  static String certificates(List<X509Certificate> certificates) {
    StringBuilder pem = new StringBuilder();
    for (X509Certificate certificate : certificates) {
      try {
        block(pem, "CERTIFICATE", certificate.getEncoded());
      } catch (CertificateEncodingException e) {
        throw new IllegalStateException("cannot encode certificate " + certificate.getSubjectX500Principal(), e);
      }
    }
    return pem.toString();
  }

  /** PKCS#8 {@code PRIVATE KEY}: the JDK's encoding of EC and RSA private keys. */
  static String privateKey(PrivateKey key) {
    if (!"PKCS#8".equals(key.getFormat())) {
      throw new IllegalArgumentException("private key is " + key.getFormat() + ", not PKCS#8");
    }
    return block(new StringBuilder(), "PRIVATE KEY", key.getEncoded()).toString();
  }

  private static StringBuilder block(StringBuilder pem, String type, byte[] der) {
    return pem.append("-----BEGIN ").append(type).append("-----\n")
        .append(BASE64.encodeToString(der)).append('\n')
        .append("-----END ").append(type).append("-----\n");
  }

  /** Every {@code CERTIFICATE} block, in order; anything else in the text is refused. */
  static List<X509Certificate> readCertificates(String text) {
    List<X509Certificate> certificates = new ArrayList<>();
    for (Object item : blocks(text)) {
      if (!(item instanceof X509CertificateHolder holder)) {
        throw new IllegalArgumentException("holds a " + describe(item) + " where only CERTIFICATE blocks belong");
      }
      try {
        certificates.add((X509Certificate) CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(holder.getEncoded())));
      } catch (IOException | CertificateException e) {
        throw new IllegalArgumentException("holds an unreadable certificate (" + e.getClass().getSimpleName() + ")", e);
      }
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("holds no PEM CERTIFICATE block");
    }
    return List.copyOf(certificates);
  }

  /** One private key: PKCS#8 {@code PRIVATE KEY}, SEC1 {@code EC PRIVATE KEY} or {@code RSA PRIVATE KEY}. */
  static PrivateKey readPrivateKey(String text) {
    PrivateKeyInfo info = null;
    for (Object item : blocks(text)) {
      if (item instanceof PEMEncryptedKeyPair || item instanceof PKCS8EncryptedPrivateKeyInfo) {
        throw new IllegalArgumentException("holds an encrypted private key; give an unencrypted one");
      }
      PrivateKeyInfo found = item instanceof PrivateKeyInfo pkcs8 ? pkcs8
          : item instanceof PEMKeyPair pair ? pair.getPrivateKeyInfo()
          : null;
      if (found != null && info != null) {
        throw new IllegalArgumentException("holds more than one private key");
      }
      info = found != null ? found : info;
    }
    if (info == null) {
      throw new IllegalArgumentException("holds no PEM PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY block");
    }
    return toJdkKey(info);
  }

  /** The parsed blocks; a parse failure names only the exception type, never the text. */
  private static List<Object> blocks(String text) {
    List<Object> items = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
        items.add(item);
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("is not valid PEM (" + e.getClass().getSimpleName() + ")", e);
    }
    return items;
  }

  private static PrivateKey toJdkKey(PrivateKeyInfo info) {
    var algorithm = info.getPrivateKeyAlgorithm().getAlgorithm();
    String name = X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm) ? "EC"
        : PKCSObjectIdentifiers.rsaEncryption.equals(algorithm) ? "RSA"
        : null;
    if (name == null) {
      throw new IllegalArgumentException("holds a key of algorithm " + algorithm + "; only EC and RSA keys are supported");
    }
    try {
      return KeyFactory.getInstance(name).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("holds an unreadable " + name + " private key (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  private static String describe(Object item) {
    return item instanceof PrivateKeyInfo || item instanceof PEMKeyPair ? "private key" : item.getClass().getSimpleName();
  }
}
