package dev.sluice.controlplane.ca;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The material the CA signs with: the signing certificate and its key, the certificates above it, and
 * the trust bundle (the last of them, the root). {@link #toString()} names the source and subject,
 * never the key, which stays package-private.
 */
public final class CaRoot {
  private static final Logger log = LoggerFactory.getLogger(CaRoot.class);

  private final X509Certificate signingCertificate;
  private final PrivateKey signingKey;
  private final List<X509Certificate> chain;
  private final String origin;
  private final List<X509Certificate> path;

  CaRoot(X509Certificate signingCertificate, PrivateKey signingKey, List<X509Certificate> chain, String origin) {
    this.signingCertificate = Objects.requireNonNull(signingCertificate, "signingCertificate");
    this.signingKey = Objects.requireNonNull(signingKey, "signingKey");
    this.chain = List.copyOf(chain);
    this.origin = Objects.requireNonNull(origin, "origin");
    List<X509Certificate> all = new ArrayList<>(this.chain.size() + 1);
    all.add(signingCertificate);
    all.addAll(this.chain);
    this.path = List.copyOf(all);
  }

  /**
   * The CA of this start: plugged in from {@code sluice.ca.cert-file}/{@code key-file}/{@code chain-file}
   * when set, else the root stored in {@code <storeFolder>/ca/}, generated there on first start.
   * Logs one INFO line naming the source; any problem is a {@link CaConfigurationException}.
   */
  public static CaRoot load(CaProperties properties, Path storeFolder, Clock clock) {
    return logged(properties, properties.pluggedIn()
        ? PluggedCa.load(properties, clock)
        : RootStore.loadOrGenerate(properties, storeFolder.resolve("ca"), clock));
  }

  /**
   * The CA of this start when the generated root is kept by {@code keeper} (a Kubernetes Secret)
   * rather than in the store folder; a plugged-in CA still wins, and then the keeper is not asked.
   */
  public static CaRoot load(CaProperties properties, RootKeeper keeper, Clock clock) {
    return logged(properties, properties.pluggedIn()
        ? PluggedCa.load(properties, clock)
        : RootStore.load(properties, keeper.loadOrGenerate(), clock));
  }

  private static CaRoot logged(CaProperties properties, CaRoot root) {
    X509Certificate anchor = root.trustBundle().get(0);
    log.info("CA {}: signing certificate {} valid until {}{}; SPIFFE trust domain {}", root.origin,
        root.signingCertificate.getSubjectX500Principal(), Certificates.notAfter(root.signingCertificate),
        anchor == root.signingCertificate ? ""
            : ", root " + anchor.getSubjectX500Principal() + " valid until " + Certificates.notAfter(anchor),
        properties.trustDomain());
    return root;
  }

  /** A new self-signed root held in memory only (tests, tools); nothing is written or logged. */
  public static CaRoot generate(CaProperties properties, Clock clock) {
    return RootStore.generate(properties, clock, new SecureRandom());
  }

  public X509Certificate signingCertificate() {
    return signingCertificate;
  }

  PrivateKey signingKey() {
    return signingKey;
  }

  /** The certificates above the signing certificate, as configured: its issuer first, up to the root. */
  public List<X509Certificate> chain() {
    return chain;
  }

  /** The roots proxies trust: the last certificate of the signing certificate and its chain. */
  public List<X509Certificate> trustBundle() {
    return List.of(chain.isEmpty() ? signingCertificate : chain.get(chain.size() - 1));
  }

  /** The signing certificate and the chain above it. */
  List<X509Certificate> path() {
    return path;
  }

  /** Where the material came from, e.g. {@code root generated and stored in /var/lib/sluice/ca}. */
  public String origin() {
    return origin;
  }

  @Override
  public String toString() {
    return "CaRoot[" + signingCertificate.getSubjectX500Principal() + ", " + origin + "]";
  }
}
