package dev.sluice.controlplane.xds;

import dev.sluice.controlplane.ca.CertificateAuthority;
import dev.sluice.controlplane.ca.IssuedCertificate;
import io.grpc.util.AdvancedTlsX509KeyManager;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's own certificate, served on the secure xDS port and on the REST API's mutual-TLS
 * port, issued by Sluice's CA to the control plane's identity and renewed at half its life;
 * connections made after a renewal get the new one.
 *
 * <p>Thread-safe: {@link #tick} runs on one thread; the key manager swaps atomically.
 */
final class ServingCertificate {
  private static final Logger log = LoggerFactory.getLogger(ServingCertificate.class);

  private final CertificateAuthority ca;
  private final Clock clock;
  private final AdvancedTlsX509KeyManager keyManager = new AdvancedTlsX509KeyManager();
  private volatile Instant renewAt = Instant.MIN;

  ServingCertificate(CertificateAuthority ca, Clock clock) {
    this.ca = ca;
    this.clock = clock;
    tick();
  }

  AdvancedTlsX509KeyManager keyManager() {
    return keyManager;
  }

  /** Renews the certificate when its time has come. */
  void tick() {
    Instant now = clock.instant();
    if (now.isBefore(renewAt)) {
      return;
    }
    IssuedCertificate cert = ca.issueServer();
    keyManager.updateIdentityCredentials(cert.chain().toArray(X509Certificate[]::new), cert.privateKey());
    renewAt = now.plus(Duration.between(now, cert.notAfter()).dividedBy(2));
    log.info("secure xDS port serves certificate {} for {}, valid until {}", cert.serialNumber().toString(16),
        cert.spiffeId(), cert.notAfter());
  }
}
