package dev.sluice.controlplane.ca;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Start-up stopped by bad CA material: Spring's "APPLICATION FAILED TO START" report says what and what to do. */
final class CaFailureAnalyzer extends AbstractFailureAnalyzer<CaConfigurationException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, CaConfigurationException cause) {
    return new FailureAnalysis("The certificate authority cannot start: " + cause.getMessage(),
        "Fix the file named above. A plugged-in CA (sluice.ca.cert-file, key-file, chain-file) needs unencrypted PEM "
            + "files, a key that matches the certificate, and CA certificates that are valid now and chain to the last "
            + "one; without those properties the root generated in <sluice.store.path>/ca/ is used.",
        cause);
  }
}
