package dev.sluice.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class PluggedCaTest {
  static final Instant NOW = Instant.parse("2031-05-01T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final Instant YEAR_AGO = NOW.minus(Duration.ofDays(365));
  static final Instant IN_A_YEAR = NOW.plus(Duration.ofDays(365));
  static final WorkloadIdentity ID = new WorkloadIdentity("models", "scorer");

  @TempDir Path dir;
  TestPki.Pair externalRoot;
  TestPki.Pair intermediate;

  @BeforeEach
  void externalPki() throws Exception {
    externalRoot = TestPki.root("Corp Root", YEAR_AGO, NOW.plus(Duration.ofDays(3650)));
    intermediate = TestPki.intermediate("Corp Mesh Intermediate", externalRoot, YEAR_AGO, IN_A_YEAR);
  }

  @Test
  void intermediateWithChain_issuesLeafThenIntermediate_andTheBundleIsTheRoot_whichValidatesWithPkix() throws Exception {
    CertificateAuthority ca = plugged(cert(intermediate.certificate()), TestPki.writePkcs8(dir.resolve("key.pem"), intermediate.key()),
        chain(externalRoot.certificate()));
    IssuedCertificate issued = ca.issue(ID);

    assertThat(issued.chain()).containsExactly(issued.leaf(), intermediate.certificate());
    assertThat(TestPki.parseCertificates(issued.certificateChainPem())).containsExactly(issued.leaf(), intermediate.certificate());
    assertThat(ca.trustBundle()).containsExactly(externalRoot.certificate());
    assertThat(TestPki.parseCertificates(ca.trustBundlePem())).containsExactly(externalRoot.certificate());
    assertThat(ca.signingCertificate()).isEqualTo(intermediate.certificate());

    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(externalRoot.certificate(), null)));
    parameters.setRevocationEnabled(false);
    parameters.setDate(Date.from(NOW));
    CertPathValidator.getInstance("PKIX").validate(
        CertificateFactory.getInstance("X.509").generateCertPath(issued.chain()), parameters);
  }

  @Test
  void leafLifetime_isCappedByTheIntermediatesRemainingLife() throws Exception {
    TestPki.Pair shortLived = TestPki.intermediate("Short", externalRoot, YEAR_AGO, NOW.plus(Duration.ofHours(5)));
    CertificateAuthority ca = plugged(cert(shortLived.certificate()), TestPki.writePkcs8(dir.resolve("key.pem"), shortLived.key()),
        chain(externalRoot.certificate()));

    assertThat(ca.issue(ID).notAfter()).isEqualTo(NOW.plus(Duration.ofHours(5)));
  }

  @Test
  void selfSignedCertificateWithoutChain_isItsOwnTrustBundle() throws Exception {
    CertificateAuthority ca = plugged(cert(externalRoot.certificate()),
        TestPki.writePkcs8(dir.resolve("key.pem"), externalRoot.key()), null);

    assertThat(ca.trustBundle()).containsExactly(externalRoot.certificate());
    IssuedCertificate issued = ca.issue(ID);
    assertThat(issued.chain()).containsExactly(issued.leaf(), externalRoot.certificate());
  }

  @Test
  void intermediateWithoutChain_becomesTheTrustAnchor_withAWarning(CapturedOutput output) throws Exception {
    CertificateAuthority ca = plugged(cert(intermediate.certificate()),
        TestPki.writePkcs8(dir.resolve("key.pem"), intermediate.key()), null);

    assertThat(ca.trustBundle()).containsExactly(intermediate.certificate());
    assertThat(ca.issue(ID).chain()).hasSize(2).endsWith(intermediate.certificate());
    assertThat(output.getOut()).contains("WARN").contains("not self-signed");
  }

  @Test
  void sec1EcPrivateKey_isAccepted() throws Exception {
    Path key = TestPki.writeTraditional(dir.resolve("key.pem"), intermediate.keys());
    assertThat(Files.readString(key)).startsWith("-----BEGIN EC PRIVATE KEY-----");

    CertificateAuthority ca = plugged(cert(intermediate.certificate()), key, chain(externalRoot.certificate()));
    ca.issue(ID).leaf().verify(intermediate.certificate().getPublicKey());
  }

  @Test
  void rsaCa_isAccepted_andSignsWithSha256WithRsa() throws Exception {
    TestPki.Pair rsa = TestPki.issued("Corp RSA Intermediate", TestPki.rsaKeys(), externalRoot, YEAR_AGO, IN_A_YEAR, 0,
        KeyUsage.keyCertSign);
    CertificateAuthority ca = plugged(cert(rsa.certificate()), TestPki.writeTraditional(dir.resolve("key.pem"), rsa.keys()),
        chain(externalRoot.certificate()));

    X509Certificate leaf = ca.issue(ID).leaf();
    assertThat(leaf.getSigAlgName()).isEqualTo("SHA256withRSA");
    assertThat(leaf.getPublicKey().getAlgorithm()).isEqualTo("EC");
    leaf.verify(rsa.certificate().getPublicKey());
  }

  @Test
  void p384Ca_signsThroughTheJdk_andItsLeavesVerify() throws Exception {
    TestPki.Pair p384 = TestPki.issued("Corp P-384 Intermediate", TestPki.ecKeys("secp384r1"), externalRoot, YEAR_AGO,
        IN_A_YEAR, 0, KeyUsage.keyCertSign);
    CertificateAuthority ca = plugged(cert(p384.certificate()), TestPki.writePkcs8(dir.resolve("key.pem"), p384.key()),
        chain(externalRoot.certificate()));

    X509Certificate leaf = ca.issue(ID).leaf();
    assertThat(leaf.getSigAlgName()).isEqualTo("SHA256withECDSA");
    leaf.verify(p384.certificate().getPublicKey());
  }

  @Test
  void keyOfAnotherCertificate_isRefused_namingTheKeyFile() throws Exception {
    Path wrongKey = TestPki.writePkcs8(dir.resolve("wrong-key.pem"), TestPki.ecKeys().getPrivate());

    assertThatThrownBy(() -> plugged(cert(intermediate.certificate()), wrongKey, chain(externalRoot.certificate())))
        .isInstanceOf(CaConfigurationException.class)
        .hasMessageContaining("sluice.ca.key-file")
        .hasMessageContaining(wrongKey.toString())
        .hasMessageContaining("does not match");
  }

  @Test
  void chainHoldingAnUnrelatedRoot_doesNotVerify() throws Exception {
    TestPki.Pair otherRoot = TestPki.root("Corp Root", YEAR_AGO, IN_A_YEAR); // same name, other key

    assertThatThrownBy(() -> plugged(cert(intermediate.certificate()),
        TestPki.writePkcs8(dir.resolve("key.pem"), intermediate.key()), chain(otherRoot.certificate())))
        .isInstanceOf(CaConfigurationException.class)
        .hasMessageContaining("the chain does not verify")
        .hasMessageContaining("sluice.ca.chain-file");
  }

  @Test
  void chainNamingAnotherIssuer_doesNotVerify() throws Exception {
    TestPki.Pair otherRoot = TestPki.root("Other Root", YEAR_AGO, IN_A_YEAR);

    assertThatThrownBy(() -> plugged(cert(intermediate.certificate()),
        TestPki.writePkcs8(dir.resolve("key.pem"), intermediate.key()), chain(otherRoot.certificate())))
        .isInstanceOf(CaConfigurationException.class)
        .hasMessageContaining("the chain does not verify")
        .hasMessageContaining("is issued by CN=Corp Root");
  }

  @Test
  void certificateThatIsNotACa_isRefused() throws Exception {
    TestPki.Pair leafLike = TestPki.issued("Not a CA", TestPki.ecKeys(), externalRoot, YEAR_AGO, IN_A_YEAR, -1,
        KeyUsage.digitalSignature);

    assertThatThrownBy(() -> plugged(cert(leafLike.certificate()), TestPki.writePkcs8(dir.resolve("key.pem"), leafLike.key()),
        chain(externalRoot.certificate())))
        .isInstanceOf(CaConfigurationException.class)
        .hasMessageContaining("sluice.ca.cert-file")
        .hasMessageContaining("is not a CA certificate");
  }

  @Test
  void caWithoutKeyCertSign_isRefused() throws Exception {
    TestPki.Pair noSigning = TestPki.issued("No Cert Sign", TestPki.ecKeys(), externalRoot, YEAR_AGO, IN_A_YEAR, 0,
        KeyUsage.digitalSignature);

    assertThatThrownBy(() -> plugged(cert(noSigning.certificate()), TestPki.writePkcs8(dir.resolve("key.pem"), noSigning.key()),
        chain(externalRoot.certificate())))
        .isInstanceOf(CaConfigurationException.class)
        .hasMessageContaining("keyCertSign");
  }

  @Test
  void expiredCertificate_isRefused() throws Exception {
    TestPki.Pair expired = TestPki.intermediate("Expired", externalRoot, YEAR_AGO, NOW.minus(Duration.ofDays(1)));

    assertThatThrownBy(() -> plugged(cert(expired.certificate()), TestPki.writePkcs8(dir.resolve("key.pem"), expired.key()),
        chain(externalRoot.certificate())))
        .isInstanceOf(CaConfigurationException.class)
        .hasMessageContaining("sluice.ca.cert-file")
        .hasMessageContaining("has expired");
  }

  @Test
  void expiredRootInTheChain_isRefused_namingTheChainFile() throws Exception {
    TestPki.Pair oldRoot = TestPki.root("Old Root", YEAR_AGO.minus(Duration.ofDays(365)), NOW.minus(Duration.ofSeconds(1)));
    TestPki.Pair underIt = TestPki.intermediate("Under Old", oldRoot, YEAR_AGO, IN_A_YEAR);

    assertThatThrownBy(() -> plugged(cert(underIt.certificate()), TestPki.writePkcs8(dir.resolve("key.pem"), underIt.key()),
        chain(oldRoot.certificate())))
        .isInstanceOf(CaConfigurationException.class)
        .hasMessageContaining("sluice.ca.chain-file")
        .hasMessageContaining("has expired");
  }

  @Test
  void certificateNotValidYet_isRefused() throws Exception {
    TestPki.Pair future = TestPki.intermediate("Future", externalRoot, NOW.plus(Duration.ofDays(1)), IN_A_YEAR);

    assertThatThrownBy(() -> plugged(cert(future.certificate()), TestPki.writePkcs8(dir.resolve("key.pem"), future.key()),
        chain(externalRoot.certificate())))
        .isInstanceOf(CaConfigurationException.class)
        .hasMessageContaining("is not valid yet");
  }

  @Test
  void pathLengthThatLeavesNoRoomForTheSigningCertificate_isRefused() throws Exception {
    TestPki.Pair second = TestPki.intermediate("Second Level", intermediate, YEAR_AGO, IN_A_YEAR); // intermediate has pathLen 0

    assertThatThrownBy(() -> plugged(cert(second.certificate()), TestPki.writePkcs8(dir.resolve("key.pem"), second.key()),
        chain(intermediate.certificate(), externalRoot.certificate())))
        .isInstanceOf(CaConfigurationException.class)
        .hasMessageContaining("path length");
  }

  @Test
  void missingFile_isRefused_namingThePropertyAndTheFile() throws Exception {
    Path missing = dir.resolve("nowhere.pem");

    assertThatThrownBy(() -> plugged(missing, TestPki.writePkcs8(dir.resolve("key.pem"), intermediate.key()), null))
        .isInstanceOf(CaConfigurationException.class)
        .hasMessageContaining("sluice.ca.cert-file")
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("does not exist");
  }

  @Test
  void fileThatIsNotPem_isRefused() throws Exception {
    Path der = Files.write(dir.resolve("key.der"), intermediate.key().getEncoded());

    assertThatThrownBy(() -> plugged(cert(intermediate.certificate()), der, chain(externalRoot.certificate())))
        .isInstanceOf(CaConfigurationException.class)
        .hasMessageContaining("sluice.ca.key-file")
        .hasMessageContaining("holds no PEM");
  }

  @Test
  void certFileHoldingTheWholeChain_isRefused_withWhereEachBelongs() throws Exception {
    Path both = TestPki.writeCertificates(dir.resolve("both.pem"), intermediate.certificate(), externalRoot.certificate());

    assertThatThrownBy(() -> plugged(both, TestPki.writePkcs8(dir.resolve("key.pem"), intermediate.key()), null))
        .isInstanceOf(CaConfigurationException.class)
        .hasMessageContaining("holds 2 certificates")
        .hasMessageContaining("sluice.ca.chain-file");
  }

  @Test
  void pluggedCa_neverWritesIntoTheStore() throws Exception {
    plugged(cert(intermediate.certificate()), TestPki.writePkcs8(dir.resolve("key.pem"), intermediate.key()),
        chain(externalRoot.certificate()));

    assertThat(dir.resolve("store")).doesNotExist();
    assertThat(List.of(dir.resolve("ca-cert.pem"), dir.resolve("key.pem"))).allMatch(Files::exists);
  }

  private CertificateAuthority plugged(Path cert, Path key, Path chain) {
    CaProperties properties = new CaProperties(null, null, null, null, null, cert, key, chain, null, null, null, null);
    return new CertificateAuthority(CaRoot.load(properties, dir.resolve("store"), CLOCK), properties, CLOCK);
  }

  private Path cert(X509Certificate certificate) throws Exception {
    return TestPki.writeCertificates(dir.resolve("ca-cert.pem"), certificate);
  }

  private Path chain(X509Certificate... certificates) throws Exception {
    return TestPki.writeCertificates(dir.resolve("ca-chain.pem"), certificates);
  }
}
