package dev.sluice.conformance;

import dev.sluice.controlplane.ca.CaProperties;
import dev.sluice.controlplane.ca.CaRoot;
import dev.sluice.controlplane.ca.CertificateAuthority;
import dev.sluice.controlplane.ca.IssuedCertificate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A serving certificate from a fresh Sluice CA, as the control plane issues its own (names
 * {@code localhost}, 127.0.0.1 and ::1): the sidecar injector's certificate in tests, which the API
 * server checks before it calls, and a trust bundle for injected bootstraps.
 *
 * @param chainPem the certificate and its chain
 * @param keyPem its private key
 * @param rootPem the root that signed it: the {@code caBundle}, the trust bundle
 */
record IssuedServingCertificate(String chainPem, String keyPem, String rootPem) {
  static IssuedServingCertificate issue() {
    CaProperties properties = CaProperties.defaults();
    CertificateAuthority ca = new CertificateAuthority(CaRoot.generate(properties, Clock.systemUTC()), properties,
        Clock.systemUTC());
    IssuedCertificate serving = ca.issueServer();
    return new IssuedServingCertificate(serving.certificateChainPem(), serving.privateKeyPem(), ca.trustBundlePem());
  }

  /** Writes {@code tls.crt}, {@code tls.key} and {@code ca.pem} into {@code dir}. */
  IssuedServingCertificate write(Path dir) throws IOException {
    Files.writeString(dir.resolve("tls.crt"), chainPem);
    Files.writeString(dir.resolve("tls.key"), keyPem);
    Files.writeString(dir.resolve("ca.pem"), rootPem);
    return this;
  }

  /** Names no key. */
  @Override
  public String toString() {
    return "IssuedServingCertificate[root and chain, key withheld]";
  }
}
