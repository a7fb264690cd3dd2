package dev.sluice.controlplane.ca;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the life left in the CA's certificates (the signing certificate, the chain above it and the
 * trust bundle): gauges {@code sluice.ca.root.expiry} (seconds until the earliest notAfter) and
 * {@code sluice.ca.root.remaining.ratio} (the smallest fraction of a lifetime left, 0..1), and a WARN
 * for each certificate with less than 20 % left, at start and then daily.
 */
final class CaExpiry implements MeterBinder, AutoCloseable {
  static final double LOW_LIFE = 0.2;
  private static final Logger log = LoggerFactory.getLogger(CaExpiry.class);

  private final List<X509Certificate> certificates;
  private final Clock clock;
  private ScheduledExecutorService daily;

  CaExpiry(CertificateAuthority ca, Clock clock) {
    Set<X509Certificate> all = new LinkedHashSet<>(ca.caCertificates());
    all.addAll(ca.trustBundle());
    this.certificates = List.copyOf(all);
    this.clock = clock;
  }

  /** Seconds until the earliest notAfter of the CA's certificates; negative once one has expired. */
  double secondsLeft() {
    Instant now = clock.instant();
    return certificates.stream()
        .mapToDouble(c -> Duration.between(now, Certificates.notAfter(c)).toMillis() / 1000.0)
        .min().orElseThrow();
  }

  /** The smallest fraction of its lifetime any of the CA's certificates has left, 0..1. */
  double remainingRatio() {
    Instant now = clock.instant();
    return certificates.stream().mapToDouble(c -> remainingRatio(c, now)).min().orElseThrow();
  }

  /** Logs a WARN for every certificate with less than 20 % of its lifetime left; true when any has. */
  boolean check() {
    Instant now = clock.instant();
    boolean low = false;
    for (X509Certificate certificate : certificates) {
      if (remainingRatio(certificate, now) < LOW_LIFE) {
        low = true;
        log.warn("CA certificate {} has less than {} % of its lifetime left: it expires at {} (notAfter); "
            + "rotate it before then, or proxies stop trusting the certificates it signed",
            certificate.getSubjectX500Principal(), Math.round(LOW_LIFE * 100), Certificates.notAfter(certificate));
      }
    }
    return low;
  }

  /** Checks now and then every day on a daemon thread, until {@link #close()}. */
  synchronized void startDailyChecks() {
    if (daily == null) {
      daily = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "sluice-ca-expiry");
        thread.setDaemon(true);
        return thread;
      });
      daily.scheduleAtFixedRate(this::check, 0, 1, TimeUnit.DAYS);
    }
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("sluice.ca.root.expiry", this, CaExpiry::secondsLeft)
        .description("Seconds until the earliest notAfter of the CA's signing certificate, chain and trust bundle")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder("sluice.ca.root.remaining.ratio", this, CaExpiry::remainingRatio)
        .description("Smallest fraction of its lifetime left among the CA's certificates (0..1); below 0.2 rotate")
        .register(registry);
  }

  @Override
  public synchronized void close() {
    if (daily != null) {
      daily.shutdownNow();
      daily = null;
    }
  }

  private static double remainingRatio(X509Certificate certificate, Instant now) {
    double lifetime = Duration.between(Certificates.notBefore(certificate), Certificates.notAfter(certificate)).toMillis();
    double left = Duration.between(now, Certificates.notAfter(certificate)).toMillis();
    return lifetime <= 0 ? 0 : Math.max(0, Math.min(1, left / lifetime));
  }
}
