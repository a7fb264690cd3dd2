package dev.sluice.controlplane.ca;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/trust-bundle}: the roots proxies and clients should trust, as PEM. Public material only. */
@RestController
final class TrustBundleController {
  static final MediaType PEM_FILE = MediaType.parseMediaType("application/x-pem-file");

  private final CertificateAuthority ca;

  TrustBundleController(CertificateAuthority ca) {
    this.ca = ca;
  }

  @GetMapping(path = "/api/v1/trust-bundle", produces = "application/x-pem-file")
  ResponseEntity<String> trustBundle() {
    return ResponseEntity.ok().contentType(PEM_FILE).body(ca.trustBundlePem());
  }
}
