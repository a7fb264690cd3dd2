package dev.sluice.controlplane.xds;

import dev.sluice.model.FieldError;
import dev.sluice.model.ModelRoute;
import dev.sluice.translate.ContentVersion;
import dev.sluice.translate.EnvoyTranslator;
import dev.sluice.translate.ProxyGroup;
import dev.sluice.translate.Translation;
import dev.sluice.translate.XdsResources;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
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
 * set, and nothing is pushed. Changes go out make before break ({@link #advance}).
 *
 * <p>Thread-safe: {@link #requestPublish} and {@link #addGroup} may be called from any thread; all
 * translation and every {@code setSnapshot} happen on the publisher thread: the one thread of the
 * {@code executor} it is given, which it does not own. Whoever creates that executor shuts it down
 * ({@code XdsConfiguration} in production); {@link #close} only stops this publisher using it.
 *
 * <p>Time comes from one source, the {@code nanoTime} ticker ({@code System::nanoTime} in
 * production); tests pass a fake scheduler's, and run the executor's tasks by moving its clock.
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
  private final Map<ProxyGroup, Transition> transitions = new ConcurrentHashMap<>();
  private final Set<ProxyGroup> checksQueued = ConcurrentHashMap.newKeySet();
  private final PublishedEpochs epochs;
  private final XdsMetrics metrics;
  private final Duration stepTimeout;
  private final Timer translationTimer;
  private final PublicationCost cost;
  private volatile GroupAcks groupAcks = (group, versions) -> true;
  private volatile boolean closed;
  private List<ModelRoute> lastPublished; // publisher thread only: the routes of the last publication of all groups
  private ScheduledFuture<?> scheduled; // guarded by this
  private long scheduledAt; // guarded by this

  /** Whether every stream of a group acked these versions (type URL to version). */
  @FunctionalInterface
  interface GroupAcks {
    boolean allAcked(ProxyGroup group, Map<String, String> versions);
  }

  /** Where a group is headed, and what it carries. */
  private record Target(XdsResources resources, Map<String, PublishedEpochs.Served> routes, int routeCount, int rejectedCount, long startNanos) {}

  /** A step taken, waiting for these versions to be acked. */
  private record Transition(Target target, Map<String, String> versions, long sinceNanos) {}


  /**
   * @param translator translates the whole store for each group; a memoizing one
   *     ({@link EnvoyTranslator#memoizing}) compiles only the routes that changed
   * @param executor where all the work runs, one task at a time: a single-thread scheduler, not shut
   *     down by this publisher
   * @param nanoTime the monotonic ticker all debounce and step times are read from
   * @param cost records each publication's cost, on the same ticker
   */
  SnapshotPublisher(SimpleCache<ProxyGroup> cache, EnvoyTranslator translator, RejectedRoutes rejectedRoutes,
      Supplier<List<ModelRoute>> routes, Debouncer debouncer, PublishedEpochs epochs, XdsMetrics metrics,
      Duration stepTimeout, Timer translationTimer, ScheduledExecutorService executor, LongSupplier nanoTime,
      PublicationCost cost) {
    this.translationTimer = translationTimer;
    this.epochs = epochs;
    this.metrics = metrics;
    this.stepTimeout = stepTimeout;
    this.cache = cache;
    this.translator = translator; // memoizing in production: a publication compiles only what changed
    this.rejectedRoutes = rejectedRoutes;
    this.routes = routes;
    this.debouncer = debouncer;
    this.nanoTime = nanoTime;
    this.executor = executor;
    this.cost = cost;
    groups.add(ProxyGroup.DEFAULT_GATEWAY);
    groups.add(ProxyGroup.PROXYLESS);
  }

  /** How to tell that a group's proxies acked a step; set once the stream registry exists. */
  void watchAcks(GroupAcks acks) {
    this.groupAcks = acks;
  }

  /** Something changed in the store: publish after the debounce. */
  synchronized void requestPublish() {
    if (closed) {
      return;
    }
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
    if (groups.add(group) && !closed) {
      executor.execute(() -> {
        PublicationCost.Start start = cost.start();
        List<ModelRoute> all = null;
        try {
          all = routes.get();
          publish(group, all);
        } catch (RuntimeException e) {
          log.error("could not build the first snapshot for group {}; retrying after the debounce", group, e);
          requestPublish();
        }
        List<ModelRoute> read = all;
        cost.end(start, () -> "the first snapshot of a new group, " + PublicationCost.describe(List.of(group), null, read));
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
    PublicationCost.Start start = cost.start();
    synchronized (this) {
      debouncer.onPublish();
    }
    boolean failed = false;
    List<ProxyGroup> targets = List.copyOf(groups);
    List<ModelRoute> all = null;
    try {
      all = routes.get();
      for (ProxyGroup group : targets) {
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
    List<ModelRoute> before = lastPublished;
    List<ModelRoute> after = all;
    lastPublished = all == null ? before : all;
    cost.end(start, () -> PublicationCost.describe(targets, before, after));
    if (failed && !closed) {
      requestPublish(); // try again after the debounce rather than wait for the next change
    }
  }

  private void publish(ProxyGroup group, List<ModelRoute> all) {
    long start = nanoTime.getAsLong();
    Translation t = translationTimer.record(() -> translator.translateAll(all, group));
    logRejections(group, t.rejected());
    rejectedRoutes.record(group, all, t.rejected());
    Map<String, PublishedEpochs.Served> served = new java.util.HashMap<>();
    all.stream().filter(r -> !t.rejected().containsKey(r.key()))
        .forEach(r -> served.put(r.key(), new PublishedEpochs.Served(r.metadata().generation(),
            dev.sluice.model.ModelRouteStatus.weights(r.spec()))));
    transitions.remove(group);
    advance(group, new Target(t.resources(), served, all.size(), t.rejected().size(), start));
  }

  /**
   * Moves a group one step towards its target, make before break: clusters (and their endpoints)
   * that routes are about to use go out first, on their own; routes move next, with the clusters
   * they leave still present; those clusters go last. Each step waits until every stream of the
   * group acked it, or for {@code stepTimeout} (a proxy that rejects a step must not hold the
   * others back).
   */
  private void advance(ProxyGroup group, Target target) {
    Snapshot current = cache.getSnapshot(group);
    XdsResources want = target.resources();
    Snapshot next;
    Map<String, PublishedEpochs.Served> carried;
    List<String> waitFor;
    String step;
    if (current == null) {
      next = snapshot(want.clusters(), want.endpoints(), want.listeners(), want.routes());
      carried = target.routes();
      waitFor = List.of();
      step = "all";
    } else {
      Set<String> have = current.clusters().resources().keySet();
      Set<String> keep = names(want.clusters());
      boolean adds = !have.containsAll(keep);
      boolean removes = !keep.containsAll(have);
      boolean routesMove = !sameRouting(current, want);
      List<Cluster> clusters = union(current.clusters().resources().values(), want.clusters(), Cluster::getName);
      List<ClusterLoadAssignment> endpoints = union(current.endpoints().resources().values(), want.endpoints(),
          ClusterLoadAssignment::getClusterName);
      if (adds && routesMove) {
        next = snapshot(clusters, endpoints, List.copyOf(current.listeners().resources().values()),
            List.copyOf(current.routes().resources().values()));
        carried = epochs.latestRoutes(group);
        waitFor = List.of(Resources.V3.CLUSTER_TYPE_URL, Resources.V3.ENDPOINT_TYPE_URL);
        step = "add clusters";
      } else if (removes && routesMove) {
        next = snapshot(clusters, endpoints, want.listeners(), want.routes());
        carried = target.routes();
        waitFor = List.of(Resources.V3.LISTENER_TYPE_URL, Resources.V3.ROUTE_TYPE_URL);
        step = "move routes";
      } else {
        next = snapshot(want.clusters(), want.endpoints(), want.listeners(), want.routes());
        carried = target.routes();
        waitFor = List.of();
        step = "all";
      }
    }
    if (current == null || !sameVersions(current, next)) {
      cache.setSnapshot(group, next);
      recordEpoch(group, current, next, carried);
      log.info("pushed snapshot to group {} ({}): {} routes, {} rejected; versions CDS {} EDS {} LDS {} RDS {} ({} ms)",
          group, step, target.routeCount() - target.rejectedCount(), target.rejectedCount(),
          next.clusters().version(), next.endpoints().version(), next.listeners().version(), next.routes().version(),
          (nanoTime.getAsLong() - target.startNanos()) / 1_000_000);
    } else {
      recordEpoch(group, current, next, carried);
    }
    if (!waitFor.isEmpty()) {
      Map<String, String> versions = new java.util.HashMap<>();
      waitFor.forEach(type -> versions.put(type, next.version(type)));
      Transition transition = new Transition(target, versions, nanoTime.getAsLong());
      transitions.put(group, transition);
      executor.schedule(() -> stepDue(group, transition, true), stepTimeout.toNanos(), TimeUnit.NANOSECONDS);
      stepDue(group, transition, false);
    }
  }

  /** A stream of the group acked something: the group's next step may be due. */
  void acked(ProxyGroup group) {
    // Every proxy of the group acks each step; one check per burst, not one per ACK.
    if (transitions.containsKey(group) && !closed && checksQueued.add(group)) {
      executor.execute(() -> {
        checksQueued.remove(group);
        Transition t = transitions.get(group);
        if (t != null) {
          stepDue(group, t, false);
        }
      });
    }
  }

  private void stepDue(ProxyGroup group, Transition transition, boolean timedOut) {
    if (transitions.get(group) != transition) {
      return; // a newer publication replaced it
    }
    if (timedOut || groupAcks.allAcked(group, transition.versions())) {
      if (timedOut) {
        log.warn("group {}: not every proxy acked the step {} within {}; taking the next step anyway",
            group, transition.versions(), stepTimeout);
      }
      transitions.remove(group, transition);
      try {
        advance(group, transition.target());
      } catch (RuntimeException e) {
        log.error("could not take the next step for group {}; retrying after the debounce", group, e);
        requestPublish();
      }
    }
  }

  private void recordEpoch(ProxyGroup group, Snapshot before, Snapshot after, Map<String, PublishedEpochs.Served> routes) {
    Map<String, String> versions = new java.util.HashMap<>();
    for (String type : PublishedEpochs.TYPES) {
      String v = after.version(type);
      versions.put(type, v);
      if (before == null || !v.equals(before.version(type))) {
        metrics.published(group, type, v);
      }
    }
    epochs.record(group, versions, routes);
  }

  /** A snapshot whose version of each type is a hash of that type's content. */
  static Snapshot snapshot(List<Cluster> clusters, List<ClusterLoadAssignment> endpoints, List<Listener> listeners,
      List<RouteConfiguration> routes) {
    return Snapshot.create(
        clusters, ContentVersion.of(clusters),
        endpoints, ContentVersion.of(endpoints),
        listeners, ContentVersion.of(listeners),
        routes, ContentVersion.of(routes),
        List.of(), ContentVersion.of(List.of()));
  }

  private static boolean sameRouting(Snapshot current, XdsResources want) {
    return current.listeners().version().equals(ContentVersion.of(want.listeners()))
        && current.routes().version().equals(ContentVersion.of(want.routes()));
  }

  /** Everything in {@code want}, plus what {@code have} has under other names; sorted by name. */
  private static <T> List<T> union(java.util.Collection<T> have, List<T> want, java.util.function.Function<T, String> name) {
    java.util.TreeMap<String, T> all = new java.util.TreeMap<>();
    have.forEach(r -> all.put(name.apply(r), r));
    want.forEach(r -> all.put(name.apply(r), r));
    return List.copyOf(all.values());
  }

  private static Set<String> names(List<Cluster> clusters) {
    Set<String> out = new java.util.HashSet<>();
    clusters.forEach(c -> out.add(c.getName()));
    return out;
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

  /**
   * Stops publishing: the pending publication and step timers are dropped, later changes ignored.
   * The executor is left running; its creator shuts it down.
   */
  @Override
  public synchronized void close() {
    closed = true;
    if (scheduled != null) {
      scheduled.cancel(false);
    }
    transitions.clear(); // a step timer that still fires finds no transition and does nothing
  }
}
