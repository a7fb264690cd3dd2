package dev.sluice.controlplane.ca;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CA plugged in from files: {@code sluice.ca.cert-file} (the signing CA), {@code key-file} (its key)
 * and optionally {@code chain-file} (its issuers up to the root). Refused at start-up, with the
 * property and file named, unless the key matches, every certificate is a valid CA now and the chain
 * verifies.
 */
final class PluggedCa {
  private static final Logger log = LoggerFactory.getLogger(PluggedCa.class);

  private PluggedCa() {}

  static CaRoot load(CaProperties properties, Clock clock) {
    String certSource = source("sluice.ca.cert-file", properties.certFile());
    String keySource = source("sluice.ca.key-file", properties.keyFile());
    String chainSource = properties.chainFile() == null ? null : source("sluice.ca.chain-file", properties.chainFile());

    List<X509Certificate> certificates = CaFiles.certificates(certSource, properties.certFile());
    if (certificates.size() != 1) {
      throw new CaConfigurationException(certSource + " holds " + certificates.size() + " certificates; put the signing "
          + "CA's certificate alone there and the certificates above it in sluice.ca.chain-file");
    }
    X509Certificate signing = certificates.get(0);
    PrivateKey key = CaFiles.privateKey(keySource, properties.keyFile());
    List<X509Certificate> chain = chainSource == null ? List.of() : CaFiles.certificates(chainSource, properties.chainFile());

    CaChecks.keyMatches(key, keySource, signing, certSource);
    List<X509Certificate> path = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    path.add(signing);
    sources.add(certSource);
    for (X509Certificate certificate : chain) {
      path.add(certificate);
      sources.add(chainSource);
    }
    Instant now = clock.instant();
    for (int i = 0; i < path.size(); i++) {
      CaChecks.isCa(path.get(i), sources.get(i));
      CaChecks.currentlyValid(path.get(i), now, sources.get(i));
    }
    CaChecks.chainVerifies(path, sources);
    X509Certificate anchor = path.get(path.size() - 1);
    if (!Certificates.selfIssued(anchor)) {
      log.warn("the CA's trust bundle is {}, which is not self-signed: peers that build a full chain to a root "
          + "(OpenSSL and BoringSSL by default, so Envoy unless told otherwise) may refuse it; put the root last in {}",
          anchor.getSubjectX500Principal(), chainSource == null ? "sluice.ca.chain-file" : chainSource);
    }

    String origin = "plugged in from " + certSource + ", " + keySource + (chainSource == null ? "" : ", " + chainSource);
    return new CaRoot(signing, key, chain, origin);
  }

  private static String source(String property, Path file) {
    return property + " (" + file.toAbsolutePath() + ")";
  }
}
