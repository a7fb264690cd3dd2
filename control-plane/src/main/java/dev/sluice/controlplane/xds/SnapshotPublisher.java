package dev.sluice.controlplane.xds;

import dev.sluice.model.FieldError;
import dev.sluice.model.ModelRoute;
import dev.sluice.translate.ContentVersion;
import dev.sluice.translate.EnvoyTranslator;
import dev.sluice.translate.ProxyGroup;
import dev.sluice.translate.Translation;
import dev.sluice.translate.XdsResources;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the stored routes into one snapshot per proxy group, on one thread, after a short debounce.
 * Each type's version is a hash of its content, so a snapshot that equals the current one is not
 * set, and nothing is pushed.
 *
 * <p>Thread-safe: {@link #requestPublish} and {@link #addGroup} may be called from any thread; all
 * translation and every {@code setSnapshot} happen on the publisher thread.
 */
final class SnapshotPublisher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SnapshotPublisher.class);

  private final SimpleCache<ProxyGroup> cache;
  private final EnvoyTranslator translator;
  private final RejectedRoutes rejectedRoutes;
  private final Supplier<List<ModelRoute>> routes;
  private final LongSupplier nanoTime;
  private final Debouncer debouncer;
  private final ScheduledExecutorService executor;
  private final Set<ProxyGroup> groups = ConcurrentHashMap.newKeySet();
  private final Map<ProxyGroup, Map<String, List<FieldError>>> lastRejected = new ConcurrentHashMap<>();
  private ScheduledFuture<?> scheduled; // guarded by this
  private long scheduledAt; // guarded by this

  SnapshotPublisher(SimpleCache<ProxyGroup> cache, EnvoyTranslator translator, RejectedRoutes rejectedRoutes,
      Supplier<List<ModelRoute>> routes, Debouncer debouncer, LongSupplier nanoTime) {
    this.cache = cache;
    this.translator = translator;
    this.rejectedRoutes = rejectedRoutes;
    this.routes = routes;
    this.debouncer = debouncer;
    this.nanoTime = nanoTime;
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sluice-publisher");
      t.setDaemon(true);
      return t;
    });
    groups.add(ProxyGroup.DEFAULT_GATEWAY);
    groups.add(ProxyGroup.PROXYLESS);
  }

  /** Something changed in the store: publish after the debounce. */
  synchronized void requestPublish() {
    long now = nanoTime.getAsLong();
    long at = debouncer.onChange(now);
    if (scheduled != null && !scheduled.isDone()) {
      if (at == scheduledAt) {
        return;
      }
      scheduled.cancel(false);
    }
    scheduledAt = at;
    scheduled = executor.schedule(this::publishAll, Math.max(0, at - now), TimeUnit.NANOSECONDS);
  }

  /** A proxy of a group not seen before connected: build its snapshot now. */
  void addGroup(ProxyGroup group) {
    if (groups.add(group)) {
      executor.execute(() -> {
        try {
          publish(group, routes.get());
        } catch (RuntimeException e) {
          log.error("could not build the first snapshot for group {}; retrying after the debounce", group, e);
          requestPublish();
        }
      });
    }
  }

  /** Publishes every group now and waits for it; used at start-up. */
  void publishNow() {
    try {
      executor.submit(this::publishAll).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the first snapshot could not be built", e.getCause());
    }
  }

  private void publishAll() {
    synchronized (this) {
      debouncer.onPublish();
    }
    boolean failed = false;
    try {
      List<ModelRoute> all = routes.get();
      for (ProxyGroup group : List.copyOf(groups)) {
        try {
          publish(group, all);
        } catch (RuntimeException e) {
          failed = true;
          log.error("could not publish a snapshot for group {}; proxies keep their last configuration", group, e);
        }
      }
    } catch (RuntimeException e) {
      failed = true;
      log.error("could not read the store to publish; proxies keep their last configuration", e);
    }
    if (failed && !executor.isShutdown()) {
      requestPublish(); // try again after the debounce rather than wait for the next change
    }
  }

  private void publish(ProxyGroup group, List<ModelRoute> all) {
    long start = System.nanoTime();
    Translation t = translator.translateAll(all, group);
    logRejections(group, t.rejected());
    rejectedRoutes.record(group, all, t.rejected());
    XdsResources r = t.resources();
    Snapshot next = Snapshot.create(
        r.clusters(), ContentVersion.of(r.clusters()),
        r.endpoints(), ContentVersion.of(r.endpoints()),
        r.listeners(), ContentVersion.of(r.listeners()),
        r.routes(), ContentVersion.of(r.routes()),
        List.of(), ContentVersion.of(List.of()));
    Snapshot current = cache.getSnapshot(group);
    if (current != null && sameVersions(current, next)) {
      return;
    }
    cache.setSnapshot(group, next);
    log.info("pushed snapshot to group {}: {} routes, {} rejected; versions CDS {} EDS {} LDS {} RDS {} ({} ms)",
        group, all.size() - t.rejected().size(), t.rejected().size(),
        next.clusters().version(), next.endpoints().version(), next.listeners().version(), next.routes().version(),
        (System.nanoTime() - start) / 1_000_000);
  }

  private static boolean sameVersions(Snapshot a, Snapshot b) {
    return a.clusters().version().equals(b.clusters().version())
        && a.endpoints().version().equals(b.endpoints().version())
        && a.listeners().version().equals(b.listeners().version())
        && a.routes().version().equals(b.routes().version());
  }

  private void logRejections(ProxyGroup group, Map<String, List<FieldError>> rejected) {
    Map<String, List<FieldError>> previous = lastRejected.put(group, rejected);
    if (!rejected.equals(previous)) {
      rejected.forEach((key, errors) -> log.warn("ModelRoute {} left out of group {}: {}", key, group, errors));
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
