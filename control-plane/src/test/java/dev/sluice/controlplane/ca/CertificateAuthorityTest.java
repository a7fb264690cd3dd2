package dev.sluice.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.Test;

class CertificateAuthorityTest {
  static final Instant NOW = Instant.parse("2031-05-01T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final WorkloadIdentity ID = new WorkloadIdentity("models", "llm-gateway");
  static final String SAN_OID = "2.5.29.17";
  static final String BASIC_CONSTRAINTS_OID = "2.5.29.19";
  static final String KEY_USAGE_OID = "2.5.29.15";

  final CaRoot root = CaRoot.generate(CaProperties.defaults(), CLOCK);
  final CertificateAuthority ca = new CertificateAuthority(root, CaProperties.defaults(), CLOCK);

  @Test
  void workloadCertificate_hasExactlyOneCriticalUriSan_theSpiffeId_andAnEmptySubject() throws Exception {
    X509Certificate leaf = parsedLeaf(ca.issue(ID));

    assertThat(leaf.getSubjectAlternativeNames())
        .containsExactly(List.of(6, "spiffe://cluster.local/ns/models/sa/llm-gateway"));
    assertThat(leaf.getCriticalExtensionOIDs()).contains(SAN_OID);
    assertThat(leaf.getSubjectX500Principal().getEncoded()).hasSize(2); // an empty SEQUENCE
    assertThat(ca.issue(ID).spiffeId()).isEqualTo("spiffe://cluster.local/ns/models/sa/llm-gateway");
  }

  @Test
  void workloadCertificate_isNotACa_andIsForTlsServersAndClients() throws Exception {
    X509Certificate leaf = parsedLeaf(ca.issue(ID));

    assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
    assertThat(leaf.getCriticalExtensionOIDs()).contains(BASIC_CONSTRAINTS_OID, KEY_USAGE_OID);
    boolean[] expectedUsage = new boolean[9];
    expectedUsage[0] = true; // digitalSignature
    expectedUsage[2] = true; // keyEncipherment
    assertThat(leaf.getKeyUsage()).containsExactly(expectedUsage);
    assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
  }

  @Test
  void chain_isLeafFirst_andTheLeafVerifiesWithTheSigningCertificate() throws Exception {
    IssuedCertificate issued = ca.issue(ID);
    List<X509Certificate> chain = TestPki.parseCertificates(issued.certificateChainPem());

    assertThat(chain).hasSize(2).isEqualTo(issued.chain());
    assertThat(chain.get(1)).isEqualTo(root.signingCertificate());
    chain.get(0).verify(chain.get(1).getPublicKey());
    assertThat(chain.get(0).getIssuerX500Principal()).isEqualTo(chain.get(1).getSubjectX500Principal());
    assertThat(keyIdentifier(chain.get(0), true)).isEqualTo(keyIdentifier(chain.get(1), false));
  }

  @Test
  void privateKeyPem_isPkcs8_andMatchesTheLeafPublicKey() throws Exception {
    IssuedCertificate issued = ca.issue(ID);
    String pem = issued.privateKeyPem();
    assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
    PrivateKey parsed = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(
        Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""))));

    assertThat(signsFor(parsed, parsedLeaf(issued).getPublicKey())).isTrue();
    assertThat(signsFor(parsed, ca.issue(ID).leaf().getPublicKey())).as("a fresh key per certificate").isFalse();
    assertThat(parsedLeaf(issued).getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(parsedLeaf(issued).getSigAlgName()).isEqualTo("SHA256withECDSA");
  }

  @Test
  void defaultLifetime_is24Hours_startingAMinuteAgo() throws Exception {
    X509Certificate leaf = parsedLeaf(ca.issue(ID));

    assertThat(leaf.getNotBefore().toInstant()).isEqualTo(NOW.minus(Duration.ofMinutes(1)));
    assertThat(leaf.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofHours(24)));
  }

  @Test
  void askedTtl_isCappedByMaxWorkloadTtl() throws Exception {
    IssuedCertificate issued = ca.issue(ID, Duration.ofDays(30));

    assertThat(parsedLeaf(issued).getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(7)));
    assertThat(ca.issue(ID, Duration.ofHours(1)).notAfter()).isEqualTo(NOW.plus(Duration.ofHours(1)));
  }

  @Test
  void lifetime_isCappedByTheRootsRemainingLife() throws Exception {
    Instant rootEnd = root.signingCertificate().getNotAfter().toInstant();
    Instant nearTheEnd = rootEnd.minus(Duration.ofHours(3));
    CertificateAuthority late = new CertificateAuthority(root, CaProperties.defaults(), Clock.fixed(nearTheEnd, ZoneOffset.UTC));

    assertThat(parsedLeaf(late.issue(ID)).getNotAfter().toInstant()).isEqualTo(rootEnd);
  }

  @Test
  void rootWithNoLifeLeft_refusesToIssue() {
    Instant rootEnd = root.signingCertificate().getNotAfter().toInstant();
    CertificateAuthority expired = new CertificateAuthority(root, CaProperties.defaults(), Clock.fixed(rootEnd, ZoneOffset.UTC));

    assertThatThrownBy(() -> expired.issue(ID)).isInstanceOf(IllegalStateException.class).hasMessageContaining("expired");
  }

  @Test
  void notBefore_isNeverBeforeTheRootsNotBefore() {
    Instant rootStart = root.signingCertificate().getNotBefore().toInstant();
    CertificateAuthority early = new CertificateAuthority(root, CaProperties.defaults(), Clock.fixed(rootStart, ZoneOffset.UTC));

    assertThat(early.issue(ID).notBefore()).isEqualTo(rootStart);
  }

  @Test
  void nonPositiveTtl_isRefused() {
    assertThatThrownBy(() -> ca.issue(ID, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void serials_arePositiveWithAtLeast64RandomBits_andDistinct() {
    Set<BigInteger> serials = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      BigInteger serial = ca.issue(ID).serialNumber();
      assertThat(serial.signum()).isPositive();
      assertThat(serial.bitLength()).isGreaterThanOrEqualTo(64).isLessThanOrEqualTo(159);
      serials.add(serial);
    }
    assertThat(serials).hasSize(20);
  }

  @Test
  void serverCertificate_namesTheControlPlaneIdentity_itsDnsNames_andIpAddresses() throws Exception {
    CaProperties properties = new CaProperties("example.org", null, null, null, null, null, null, null, "mesh", "cp",
        List.of("sluice.mesh.svc", "localhost"), List.of("127.0.0.1", "::1"));
    CertificateAuthority serving = new CertificateAuthority(root, properties, CLOCK);
    IssuedCertificate issued = serving.issueServer();
    X509Certificate leaf = parsedLeaf(issued);

    assertThat(leaf.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
        List.of(6, "spiffe://example.org/ns/mesh/sa/cp"), List.of(2, "sluice.mesh.svc"), List.of(2, "localhost"),
        List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1"));
    assertThat(issued.spiffeId()).isEqualTo("spiffe://example.org/ns/mesh/sa/cp");
    assertThat(leaf.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
    assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
    assertThat(leaf.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofHours(24)));
  }

  @Test
  void trustBundle_isTheGeneratedRoot_asPem() throws Exception {
    assertThat(ca.trustBundle()).containsExactly(root.signingCertificate());
    assertThat(TestPki.parseCertificates(ca.trustBundlePem())).containsExactly(root.signingCertificate());
    assertThat(ca.spiffeId(ID)).isEqualTo("spiffe://cluster.local/ns/models/sa/llm-gateway");
    assertThat(ca.trustDomain()).isEqualTo("cluster.local");
  }

  @Test
  void concurrentIssuance_givesValidDistinctCertificates() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<IssuedCertificate>> futures = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        futures.add(pool.submit(() -> ca.issue(ID)));
      }
      Set<BigInteger> serials = new HashSet<>();
      for (Future<IssuedCertificate> future : futures) {
        IssuedCertificate issued = future.get();
        issued.leaf().verify(root.signingCertificate().getPublicKey());
        assertThat(signsFor(issued.privateKey(), issued.leaf().getPublicKey())).isTrue();
        serials.add(issued.serialNumber());
      }
      assertThat(serials).hasSize(40);
    } finally {
      pool.shutdownNow();
    }
  }

  static X509Certificate parsedLeaf(IssuedCertificate issued) throws Exception {
    return TestPki.parseCertificates(issued.certificateChainPem()).get(0);
  }

  static boolean signsFor(PrivateKey key, PublicKey publicKey) throws Exception {
    byte[] challenge = "challenge".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(key);
    signer.update(challenge);
    Signature verifier = Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(publicKey);
    verifier.update(challenge);
    return verifier.verify(signer.sign());
  }

  private static byte[] keyIdentifier(X509Certificate certificate, boolean authority) throws Exception {
    X509CertificateHolder holder = new X509CertificateHolder(certificate.getEncoded());
    return authority
        ? AuthorityKeyIdentifier.fromExtensions(holder.getExtensions()).getKeyIdentifierOctets()
        : SubjectKeyIdentifier.fromExtensions(holder.getExtensions()).getKeyIdentifier();
  }
}
