package dev.sluice.controlplane.ca;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.util.Objects;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.operator.ContentSigner;

/**
 * ECDSA on P-256 through BouncyCastle's lightweight API: its SecP256R1 curve (fixed-width field
 * arithmetic) with fixed-point comb multiplication of the base point, which makes key generation and
 * signing several times cheaper than SunEC on JDK 17 (benchmarks/RESULTS.md, B5). Only the arithmetic
 * changes: private keys leave as the JDK's own {@link ECPrivateKey} (PKCS#8 as before), public keys as a
 * named-curve SubjectPublicKeyInfo, signatures as DER ECDSA-Sig-Value with SHA-256 and the nonce of
 * RFC 6979 (deterministic, so a signature owes nothing to the random generator).
 *
 * <p>Thread-safe: the curve, its precomputed comb table and the key parameters are immutable; each key
 * pair and each signature gets its own generator or signer.
 */
final class P256 {
  private static final X9ECParameters CURVE = CustomNamedCurves.getByOID(SECObjectIdentifiers.secp256r1);
  private static final ECDomainParameters DOMAIN = new ECDomainParameters(CURVE);
  private static final AlgorithmIdentifier PUBLIC_KEY_ALGORITHM =
      new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, SECObjectIdentifiers.secp256r1);
  private static final AlgorithmIdentifier ECDSA_WITH_SHA256 = new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
  private static final ECParameterSpec JDK_PARAMETERS = jdkParameters();

  /** A fresh key pair: the private key as a JDK key, the public key as it goes into a certificate. */
  record Keys(PrivateKey privateKey, SubjectPublicKeyInfo publicKey) {
    Keys {
      Objects.requireNonNull(privateKey, "privateKey");
      Objects.requireNonNull(publicKey, "publicKey");
    }
  }

  private P256() {}

  static Keys newKeyPair(SecureRandom random) {
    ECKeyPairGenerator generator = new ECKeyPairGenerator();
    generator.init(new ECKeyGenerationParameters(DOMAIN, random));
    AsymmetricCipherKeyPair pair = generator.generateKeyPair();
    BigInteger d = ((ECPrivateKeyParameters) pair.getPrivate()).getD();
    byte[] point = ((ECPublicKeyParameters) pair.getPublic()).getQ().getEncoded(false);
    return new Keys(jdkPrivateKey(d), new SubjectPublicKeyInfo(PUBLIC_KEY_ALGORITHM, point));
  }

  /** Whether {@code key} is an EC key on P-256, whatever provider made it. */
  static boolean isP256(PrivateKey key) {
    if (!(key instanceof ECPrivateKey ec)) {
      return false;
    }
    ECParameterSpec params = ec.getParams();
    return params.getCurve().equals(JDK_PARAMETERS.getCurve())
        && params.getGenerator().equals(JDK_PARAMETERS.getGenerator())
        && params.getOrder().equals(JDK_PARAMETERS.getOrder())
        && params.getCofactor() == JDK_PARAMETERS.getCofactor();
  }

  /**
   * The signing half of {@code key} (which {@link #isP256} must accept), kept once by a CA so that each
   * certificate costs only {@link #signer}.
   */
  static ECPrivateKeyParameters signingKey(PrivateKey key) {
    if (!isP256(key)) {
      throw new IllegalArgumentException("not a P-256 key");
    }
    return new ECPrivateKeyParameters(((ECPrivateKey) key).getS(), DOMAIN);
  }

  /** A one-use SHA256withECDSA {@link ContentSigner}: write the to-be-signed bytes, then take the signature. */
  static ContentSigner signer(ECPrivateKeyParameters key) {
    return new Signer(key);
  }

  private static PrivateKey jdkPrivateKey(BigInteger d) {
    try {
      return KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(d, JDK_PARAMETERS));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot hold an EC P-256 private key", e);
    }
  }

  private static ECParameterSpec jdkParameters() {
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec("secp256r1"));
      return parameters.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK does not know the curve secp256r1", e);
    }
  }

  /** Hashes what is written; {@link #getSignature()} signs the hash. Not thread-safe, used once. */
  private static final class Signer extends OutputStream implements ContentSigner {
    private final ECPrivateKeyParameters key;
    private final SHA256Digest digest = new SHA256Digest();

    Signer(ECPrivateKeyParameters key) {
      this.key = key;
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
      return ECDSA_WITH_SHA256;
    }

    @Override
    public OutputStream getOutputStream() {
      return this;
    }

    @Override
    public void write(int b) {
      digest.update((byte) b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      digest.update(bytes, offset, length);
    }

    @Override
    public byte[] getSignature() {
      byte[] hash = new byte[digest.getDigestSize()];
      digest.doFinal(hash, 0);
      ECDSASigner ecdsa = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
      ecdsa.init(true, key);
      BigInteger[] rs = ecdsa.generateSignature(hash);
      try {
        return StandardDSAEncoding.INSTANCE.encode(DOMAIN.getN(), rs[0], rs[1]);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot DER-encode an ECDSA signature", e);
      }
    }
  }
}
