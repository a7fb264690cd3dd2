package dev.sluice.controlplane.xds;

import dev.sluice.controlplane.ca.CertificateAuthority;
import dev.sluice.controlplane.ca.IssuedCertificate;
import dev.sluice.controlplane.ca.WorkloadIdentity;
import dev.sluice.controlplane.identity.ProvenProxy;
import dev.sluice.translate.Secrets;
import io.envoyproxy.controlplane.cache.ConfigWatcher;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SDS secrets of every identity that has a proxy connected on the secure port: a certificate
 * issued for it alone ({@code default}) and the roots ({@code ROOTCA}), in a snapshot of their own
 * keyed by the SPIFFE ID, never shared with another identity. Certificates are made while an
 * identity has a stream asking for them, never outlive the latest credential among those streams,
 * and are renewed at half their life, give or take the jitter, so a fleet issued at once does not
 * renew at once; and at once when a proxy of the identity loses its credential. The push goes down
 * the open streams; no reconnect.
 *
 * <p>Thread-safe: every method holds this object's monitor; issuing takes about a millisecond.
 */
final class WorkloadSecrets {
  private static final Logger log = LoggerFactory.getLogger(WorkloadSecrets.class);
  /** The shortest certificate issued, for a credential about to expire (its stream closes soon). */
  static final Duration MIN_TTL = Duration.ofMinutes(1);

  private final CertificateAuthority ca;
  private final Clock clock;
  private final double jitter;
  private final RandomGenerator random;
  private final SimpleCache<String> cache = new SimpleCache<>(node -> node.getId());
  private final Map<String, Held> held = new HashMap<>(); // guarded by this
  private final Set<String> toClear = new HashSet<>(); // guarded by this

  /** The certificate of one identity, and the credential expiry of each stream that uses it. */
  private static final class Held {
    final WorkloadIdentity identity;
    final List<Instant> credentialExpiries = new ArrayList<>();
    IssuedCertificate certificate;
    Instant rotateAt;

    Held(WorkloadIdentity identity) {
      this.identity = identity;
    }

    /** A certificate never outlives every credential that asked for it. */
    Instant latestCredentialExpiry() {
      return credentialExpiries.stream().max(Instant::compareTo).orElse(Instant.MIN);
    }
  }

  WorkloadSecrets(CertificateAuthority ca, Clock clock, RandomGenerator random) {
    this.ca = ca;
    this.clock = clock;
    this.jitter = ca.properties().rotationJitter();
    this.random = random;
  }

  /** Serves the secrets; requests must name the identity's SPIFFE ID as their node id. */
  ConfigWatcher watcher() {
    return cache;
  }

  /** The key of a proven proxy's secrets in {@link #watcher()}. */
  String key(ProvenProxy proxy) {
    return ca.spiffeId(identity(proxy));
  }

  /** A stream of this proxy wants its secrets: make them now if its identity has none. */
  synchronized void acquire(ProvenProxy proxy) {
    String key = key(proxy);
    Held h = held.get(key);
    if (h == null) {
      h = new Held(identity(proxy));
      h.credentialExpiries.add(proxy.expiresAt());
      issue(key, h, "first stream"); // before it is held: a failure leaves nothing half-made
      held.put(key, h);
      toClear.remove(key);
    } else {
      h.credentialExpiries.add(proxy.expiresAt());
    }
  }

  /** A stream that held this proxy's secrets closed; the last one lets them go. */
  synchronized void release(ProvenProxy proxy) {
    String key = key(proxy);
    Held h = held.get(key);
    if (h != null && h.credentialExpiries.remove(proxy.expiresAt()) && h.credentialExpiries.isEmpty()) {
      held.remove(key);
      toClear.add(key); // the closing stream's watch goes after this call; clear on the next tick
    }
  }

  /**
   * A proxy of this identity lost its credential: renew the identity's key on the next tick, so the
   * proxies that remain stop sharing a key with it.
   */
  synchronized void renewSoon(ProvenProxy proxy) {
    Held h = held.get(key(proxy));
    if (h != null) {
      h.rotateAt = Instant.MIN;
    }
  }

  /** Renews every certificate whose time has come, and drops the secrets no stream holds. */
  synchronized void tick() {
    Instant now = clock.instant();
    held.forEach((key, h) -> {
      if (!now.isBefore(h.rotateAt)) {
        try {
          issue(key, h, h.rotateAt == Instant.MIN ? "a credential of this identity stopped holding" : "rotation");
        } catch (RuntimeException e) {
          log.error("could not renew the certificate of {}; trying again on the next tick", key, e);
        }
      }
    });
    toClear.removeIf(cache::clearSnapshot);
  }

  /** The certificate an identity's streams have now. */
  synchronized Optional<IssuedCertificate> current(WorkloadIdentity identity) {
    Held h = held.get(ca.spiffeId(identity));
    return Optional.ofNullable(h == null ? null : h.certificate);
  }

  synchronized int identities() {
    return held.size();
  }

  private void issue(String key, Held h, String why) {
    Instant now = clock.instant();
    Duration ttl = ca.properties().workloadTtl();
    Duration credentialLeft = Duration.between(now, h.latestCredentialExpiry());
    if (credentialLeft.compareTo(ttl) < 0) {
      ttl = credentialLeft.compareTo(MIN_TTL) < 0 ? MIN_TTL : credentialLeft;
    }
    IssuedCertificate cert = ca.issue(h.identity, ttl);
    Duration life = Duration.between(now, cert.notAfter());
    double share = 0.5 + jitter * (2 * random.nextDouble() - 1);
    h.certificate = cert;
    h.rotateAt = now.plusMillis((long) (life.toMillis() * share));
    cache.setSnapshot(key, Snapshot.create(List.of(), List.of(), List.of(), List.of(),
        List.of(Secrets.certificate(cert.certificateChainPem(), cert.privateKeyPem()), Secrets.trust(ca.trustBundlePem())),
        cert.serialNumber().toString(16)));
    log.info("issued certificate {} for {} ({}): valid until {}, renews at {}", cert.serialNumber().toString(16), key, why,
        cert.notAfter(), h.rotateAt);
  }

  private static WorkloadIdentity identity(ProvenProxy proxy) {
    return new WorkloadIdentity(proxy.namespace(), proxy.serviceAccount());
  }
}
