package dev.sluice.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No toString of a class that holds a key shows it (DESIGN.md: key material never in logs or toString). */
class KeyHygieneTest {
  @TempDir Path store;

  @Test
  void toStrings_nameTheCertificate_butNeverTheKey() {
    CaRoot root = CaRoot.load(CaProperties.defaults(), store, Clock.systemUTC());
    CertificateAuthority ca = new CertificateAuthority(root, CaProperties.defaults(), Clock.systemUTC());
    IssuedCertificate issued = ca.issue(new WorkloadIdentity("models", "scorer"));

    assertThat(issued.toString())
        .contains("spiffe://cluster.local/ns/models/sa/scorer", issued.serialNumber().toString(16),
            issued.notBefore().toString(), issued.notAfter().toString());
    for (String text : List.of(issued.toString(), root.toString(), ca.toString(), CaProperties.defaults().toString())) {
      assertThat(text).doesNotContain("PRIVATE KEY");
      for (PrivateKey key : List.of(issued.privateKey(), root.signingKey())) {
        assertNoKeyBytes(text, key);
      }
    }
  }

  private static void assertNoKeyBytes(String text, PrivateKey key) {
    String base64 = Base64.getEncoder().encodeToString(key.getEncoded());
    assertThat(text).doesNotContain(base64.substring(0, 24)).doesNotContain(base64.substring(base64.length() - 24));
    byte[] scalar = ((ECPrivateKey) key).getS().toByteArray();
    assertThat(text.toLowerCase()).doesNotContain(HexFormat.of().formatHex(scalar).substring(0, 16))
        .doesNotContain(((ECPrivateKey) key).getS().toString());
  }
}
