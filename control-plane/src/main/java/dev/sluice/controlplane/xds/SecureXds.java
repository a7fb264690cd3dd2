package dev.sluice.controlplane.xds;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the secure port needs beyond the discovery service: the gatekeeper, its own certificate, the
 * workload secrets, and one thread that renews certificates every second and rechecks every open
 * stream's credential every {@code recheckInterval}.
 */
final class SecureXds implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SecureXds.class);
  static final Duration TICK = Duration.ofSeconds(1);

  private final AuthenticatedStreams streams;
  private final ServingCertificate serving;
  private final WorkloadSecrets secrets;
  private final Duration recheckInterval;
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "sluice-identity");
    t.setDaemon(true);
    return t;
  });

  SecureXds(AuthenticatedStreams streams, ServingCertificate serving, WorkloadSecrets secrets, Duration recheckInterval) {
    this.streams = streams;
    this.serving = serving;
    this.secrets = secrets;
    this.recheckInterval = recheckInterval;
  }

  AuthenticatedStreams streams() {
    return streams;
  }

  ServingCertificate serving() {
    return serving;
  }

  WorkloadSecrets secrets() {
    return secrets;
  }

  void start() {
    executor.scheduleWithFixedDelay(() -> guard("renew certificates", () -> {
      serving.tick();
      secrets.tick();
    }), TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    executor.scheduleWithFixedDelay(() -> guard("recheck credentials", streams::recheck),
        recheckInterval.toMillis(), recheckInterval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Rechecks every open stream now, on the identity thread; used right after a revocation. */
  void recheckSoon() {
    executor.execute(() -> guard("recheck credentials", streams::recheck));
  }

  private static void guard(String what, Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      log.error("could not {}; trying again on the next tick", what, e);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
