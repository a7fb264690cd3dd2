package dev.sluice.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.ContentSigner;
import org.junit.jupiter.api.Test;

/** BouncyCastle's P-256 arithmetic, checked against the JDK's provider and RFC 6979's own example. */
class P256Test {
  private static final byte[] MESSAGE = "what an SVID's to-be-signed bytes stand in for".getBytes(StandardCharsets.US_ASCII);

  @Test
  void keyPair_isAStandardNamedCurveKey_thatTheJdkReadsBackAndSignsWith() throws Exception {
    P256.Keys keys = P256.newKeyPair(new SecureRandom());

    assertThat(keys.publicKey().getAlgorithm().getAlgorithm()).isEqualTo(X9ObjectIdentifiers.id_ecPublicKey);
    assertThat(keys.publicKey().getAlgorithm().getParameters()).isEqualTo(SECObjectIdentifiers.secp256r1);
    assertThat(keys.publicKey().getPublicKeyData().getBytes()).hasSize(65).startsWith(0x04); // uncompressed point
    PrivateKeyInfo pkcs8 = PrivateKeyInfo.getInstance(keys.privateKey().getEncoded());
    assertThat(keys.privateKey().getFormat()).isEqualTo("PKCS#8");
    assertThat(pkcs8.getPrivateKeyAlgorithm().getParameters()).isEqualTo(SECObjectIdentifiers.secp256r1);

    KeyFactory jdk = KeyFactory.getInstance("EC");
    PrivateKey privateKey = jdk.generatePrivate(new PKCS8EncodedKeySpec(keys.privateKey().getEncoded()));
    PublicKey publicKey = jdk.generatePublic(new X509EncodedKeySpec(keys.publicKey().getEncoded()));
    assertThat(((ECPublicKey) publicKey).getParams().getCurve())
        .isEqualTo(((ECPrivateKey) privateKey).getParams().getCurve());
    assertThat(CertificateAuthorityTest.signsFor(privateKey, publicKey)).as("the pair belongs together").isTrue();
    assertThat(CertificateAuthorityTest.signsFor(privateKey, jdk.generatePublic(new X509EncodedKeySpec(
        P256.newKeyPair(new SecureRandom()).publicKey().getEncoded())))).as("a fresh pair each time").isFalse();
  }

  @Test
  void signature_isDerEcdsaWithSha256_thatTheJdkVerifies() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    java.security.KeyPair jdkKeys = generator.generateKeyPair();

    byte[] signature = sign(jdkKeys.getPrivate(), MESSAGE);

    Signature verifier = Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(jdkKeys.getPublic());
    verifier.update(MESSAGE);
    assertThat(verifier.verify(signature)).isTrue();
    assertThat(P256.signer(P256.signingKey(jdkKeys.getPrivate())).getAlgorithmIdentifier().getAlgorithm())
        .isEqualTo(X9ObjectIdentifiers.ecdsa_with_SHA256);
  }

  /** RFC 6979, A.2.5: P-256, SHA-256, message "sample". Wrong digest, nonce or encoding would each show. */
  @Test
  void signature_matchesRfc6979sDeterministicExample() throws Exception {
    BigInteger x = new BigInteger("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721", 16);
    PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(x, p256Parameters()));

    byte[] signature = sign(key, "sample".getBytes(StandardCharsets.US_ASCII));

    ASN1Sequence rs = ASN1Sequence.getInstance(signature);
    assertThat(rs.size()).isEqualTo(2);
    assertThat(hex(rs, 0)).isEqualTo("efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716");
    assertThat(hex(rs, 1)).isEqualTo("f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8");
  }

  @Test
  void onlyP256Keys_takeThisPath() throws Exception {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp384r1"));
    PrivateKey p384 = ec.generateKeyPair().getPrivate();
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);

    assertThat(P256.isP256(P256.newKeyPair(new SecureRandom()).privateKey())).isTrue();
    assertThat(P256.isP256(p384)).isFalse();
    assertThat(P256.isP256(rsa.generateKeyPair().getPrivate())).isFalse();
    assertThatThrownBy(() -> P256.signingKey(p384)).isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] sign(PrivateKey key, byte[] message) throws Exception {
    ContentSigner signer = P256.signer(P256.signingKey(key));
    try (OutputStream out = signer.getOutputStream()) {
      out.write(message);
    }
    return signer.getSignature();
  }

  private static java.security.spec.ECParameterSpec p256Parameters() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return ((ECPrivateKey) generator.generateKeyPair().getPrivate()).getParams();
  }

  private static String hex(ASN1Sequence rs, int index) {
    return String.format("%064x", ASN1Integer.getInstance(rs.getObjectAt(index)).getPositiveValue());
  }
}
