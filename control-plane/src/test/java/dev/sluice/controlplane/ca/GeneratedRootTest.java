package dev.sluice.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratedRootTest {
  static final Instant NOW = Instant.parse("2031-05-01T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @TempDir Path store;

  @Test
  void firstStart_generatesAndStoresTheRoot_laterStartsLoadTheSameOne() throws Exception {
    CaRoot first = CaRoot.load(CaProperties.defaults(), store, CLOCK);
    CaRoot second = CaRoot.load(CaProperties.defaults(), store, Clock.fixed(NOW.plus(Duration.ofDays(3)), ZoneOffset.UTC));

    assertThat(second.signingCertificate()).isEqualTo(first.signingCertificate());
    assertThat(second.signingKey().getEncoded()).isEqualTo(first.signingKey().getEncoded());
    assertThat(first.origin()).startsWith("root generated and stored in");
    assertThat(second.origin()).startsWith("root loaded from");
    assertThat(TestPki.parseCertificates(Files.readString(store.resolve("ca/root-cert.pem"))))
        .containsExactly(first.signingCertificate());
    // and a certificate issued after the restart still chains to the root proxies already trust
    new CertificateAuthority(second, CaProperties.defaults(), CLOCK).issue(new WorkloadIdentity("a", "b")).leaf()
        .verify(first.signingCertificate().getPublicKey());
  }

  @Test
  void keyFile_isOwnerReadWriteOnly_andTheFolderOwnerOnly_withNoTempFilesLeft() throws Exception {
    CaRoot.load(CaProperties.defaults(), store, CLOCK);

    Path folder = store.resolve("ca");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.resolve("root-key.pem"))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
    try (var files = Files.list(folder)) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("root-cert.pem", "root-key.pem");
    }
    assertThat(Files.readString(folder.resolve("root-key.pem"))).startsWith("-----BEGIN PRIVATE KEY-----");
  }

  @Test
  void generatedRoot_isASelfSignedP256CaNamedForTheTrustDomain() throws Exception {
    CaProperties properties = new CaProperties("example.org", null, null, Duration.ofDays(400), null, null, null, null,
        null, null, null, null);
    X509Certificate root = CaRoot.load(properties, store, CLOCK).signingCertificate();

    root.verify(root.getPublicKey());
    assertThat(root.getSubjectX500Principal().getName()).isEqualTo("CN=Sluice Root CA,O=example.org");
    assertThat(root.getIssuerX500Principal()).isEqualTo(root.getSubjectX500Principal());
    assertThat(root.getBasicConstraints()).isEqualTo(0);
    assertThat(root.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
    assertThat(root.getKeyUsage()[5]).as("keyCertSign").isTrue();
    assertThat(root.getKeyUsage()[6]).as("cRLSign").isTrue();
    assertThat(root.getSubjectAlternativeNames()).containsExactly(List.of(6, "spiffe://example.org"));
    assertThat(root.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(root.getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(root.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(400)));
  }

  @Test
  void storeWithACertificateButNoKey_stopsStartUp_ratherThanReplacingTheRoot() throws Exception {
    CaRoot.load(CaProperties.defaults(), store, CLOCK);
    Files.delete(store.resolve("ca/root-key.pem"));

    assertThatThrownBy(() -> CaRoot.load(CaProperties.defaults(), store, CLOCK))
        .isInstanceOf(CaConfigurationException.class)
        .hasMessageContaining("root-key.pem")
        .hasMessageContaining("incomplete");
  }

  @Test
  void storedRootThatHasExpired_stopsStartUp_withWhatToDo() {
    CaProperties shortRoot = new CaProperties(null, null, null, Duration.ofDays(30), null, null, null, null, null, null, null, null);
    CaRoot.load(shortRoot, store, CLOCK);

    assertThatThrownBy(() -> CaRoot.load(shortRoot, store, Clock.fixed(NOW.plus(Duration.ofDays(31)), ZoneOffset.UTC)))
        .isInstanceOf(CaConfigurationException.class)
        .hasMessageContaining("has expired")
        .hasMessageContaining("sluice.ca.cert-file");
  }
}
