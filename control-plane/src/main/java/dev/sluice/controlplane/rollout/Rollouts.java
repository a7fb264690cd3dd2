package dev.sluice.controlplane.rollout;

import dev.sluice.controlplane.store.RouteStore;
import dev.sluice.controlplane.xds.RouteProgramming;
import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelRouteStatus;
import dev.sluice.model.ModelVersion;
import dev.sluice.model.Rollout;
import dev.sluice.translate.Names;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every route's rollout: once per tick, on one thread, it reads what the proxies run and what
 * the data plane measured, applies {@link RolloutEngine}'s rules and stores the result. Only the
 * leader decides; every replica gives its proxies the stored weights ({@link RolloutOverlay}).
 *
 * <p>Thread-safe: ticks and users' actions are serialised on this object's monitor.
 */
public final class Rollouts {
  private static final Logger log = LoggerFactory.getLogger(Rollouts.class);
  static final int SAMPLES = 600;

  private final RouteStore store;
  private final RolloutStates states;
  private final RouteProgramming programming;
  private final DataPlaneReadings readings;
  private final Clock clock;
  private final Duration sampleInterval;
  private final BooleanSupplier leader;
  private final RolloutWebhooks webhooks;
  private final RolloutMetrics metrics;
  private final java.util.function.Consumer<Set<String>> measuredClusters;
  /** Per route: each version's reading when the analysis window started. Memory only: a restart starts a new window. */
  private final Map<String, Map<String, DataPlaneReadings.Reading>> windows = new ConcurrentHashMap<>();
  /** Per route: each version's reading when the running step started. Memory only, like the windows. */
  private final Map<String, Map<String, DataPlaneReadings.Reading>> stepWindows = new ConcurrentHashMap<>();
  private final Map<String, Deque<RolloutView.Sample>> samples = new ConcurrentHashMap<>();
  private final Map<String, Map<String, DataPlaneReadings.Reading>> lastSample = new ConcurrentHashMap<>();
  private final Map<String, Instant> lastSampleAt = new ConcurrentHashMap<>();

  public Rollouts(RouteStore store, RolloutStates states, RouteProgramming programming, DataPlaneReadings readings,
      Clock clock, Duration sampleInterval, BooleanSupplier leader, RolloutWebhooks webhooks,
      io.micrometer.core.instrument.MeterRegistry registry, java.util.function.Consumer<Set<String>> measuredClusters) {
    this.metrics = new RolloutMetrics(registry);
    this.measuredClusters = measuredClusters;
    this.store = store;
    this.states = states;
    this.programming = programming;
    this.readings = readings;
    this.clock = clock;
    this.sampleInterval = sampleInterval;
    this.leader = leader;
    this.webhooks = webhooks;
  }

  /** One pass over every route with a rollout. */
  public synchronized void tick() {
    List<ModelRoute> routes = store.list(null);
    Set<String> clusters = new java.util.HashSet<>();
    routes.stream().filter(r -> r.spec() != null && r.spec().rollout() != null)
        .forEach(r -> r.spec().versions().forEach(v -> clusters.add(Names.cluster(r, v.name()))));
    measuredClusters.accept(clusters); // reports for other clusters are not taken
    if (!leader.getAsBoolean()) {
      // Windows measured before another replica led would span its steps: start afresh when leading again.
      windows.clear();
      stepWindows.clear();
      metrics.update(states.all()); // what the leader decided, as this replica serves it
      return;
    }
    Instant now = clock.instant();
    Set<String> live = new java.util.HashSet<>();
    Map<String, RolloutState> current = states.load();
    for (ModelRoute route : routes) {
      if (route.spec() == null || route.spec().rollout() == null) {
        continue;
      }
      live.add(route.key());
      try {
        tick(route, current.get(route.key()), now);
      } catch (RuntimeException e) {
        log.error("rollout of ModelRoute {}: tick failed; its weights stay as they are", route.key(), e);
      }
    }
    for (String key : current.keySet()) {
      if (!live.contains(key)) {
        states.remove(key);
        windows.remove(key);
        stepWindows.remove(key);
        samples.remove(key);
        lastSample.remove(key);
        lastSampleAt.remove(key);
        log.info("rollout of ModelRoute {}: removed with spec.rollout; the route's own weights apply", key);
      }
    }
    metrics.update(states.all());
  }

  private void tick(ModelRoute route, RolloutState state, Instant now) {
    Rollout rollout = route.spec().rollout();
    String key = route.key();
    String hash = RolloutHash.of(route.spec());
    if (state == null || !state.rolloutHash().equals(hash)) {
      RolloutState started = RolloutEngine.start(rollout, hash, route.metadata().generation(), now);
      if (save(route, state, started)) {
        windows.put(key, read(route));
        stepWindows.put(key, read(route));
      }
      return;
    }
    sample(route, now);
    Map<String, DataPlaneReadings.Reading> window = windows.computeIfAbsent(key, k -> read(route));
    Map<String, DataPlaneReadings.Reading> stepWindow = stepWindows.computeIfAbsent(key, k -> read(route));
    RouteProgramming.Tally tally = programming.runningWeights(key,
        ModelRouteStatus.weights(RolloutWeights.apply(route, state.canaryWeight()).spec()));
    RolloutEngine.Proxies proxies = new RolloutEngine.Proxies(tally.nacked() == 0 && tally.pending() == 0,
        tally.nacked() > 0 ? tally.firstRejection() : null);
    Numbers canary = numbers(route, rollout.canary(), window.get(rollout.canary()));
    Numbers step = numbers(route, rollout.canary(), stepWindow.get(rollout.canary()));
    RolloutEngine.Result result = RolloutEngine.tick(rollout, state, new RolloutEngine.Inputs(now, proxies, canary,
        step, weight -> webhooks.preStep(route, state, weight)));
    if (!result.state().equals(state) && !save(route, state, result.state().atGeneration(route.metadata().generation()))) {
      return; // changed meanwhile (a user's action): decide again on the next tick
    }
    if (result.newWindow()) {
      windows.put(key, read(route));
    }
    if (result.newStepWindow()) {
      stepWindows.put(key, read(route));
    }
  }

  /** Pause, resume, promote or abort, as a user asked; the new state. */
  public synchronized RolloutState act(ModelRoute route, String action) {
    Rollout rollout = route.spec().rollout();
    RolloutState state = Optional.ofNullable(states.load().get(route.key()))
        .filter(s -> s.rolloutHash().equals(RolloutHash.of(route.spec())))
        .orElseThrow(() -> new IllegalStateException("the rollout has not started yet; try again in a second"));
    Instant now = clock.instant();
    RolloutState next = switch (action) {
      case "pause" -> RolloutEngine.pause(state, now);
      case "resume" -> RolloutEngine.resume(rollout, state, now);
      case "promote" -> RolloutEngine.promote(state, now);
      case "abort" -> RolloutEngine.abort(state, now);
      default -> throw new IllegalArgumentException("unknown action " + action);
    };
    if (!save(route, state, next)) {
      throw new IllegalStateException("the rollout changed while this was being decided; try again");
    }
    windows.put(route.key(), read(route));
    stepWindows.put(route.key(), read(route));
    return next;
  }

  /** The stored state of a route's rollout, if it started. */
  public Optional<RolloutState> state(ModelRoute route) {
    if (route.spec() == null || route.spec().rollout() == null) {
      return Optional.empty();
    }
    return states.get(route.key()).filter(s -> s.rolloutHash().equals(RolloutHash.of(route.spec())));
  }

  /** Each version's numbers in the running analysis window. */
  public Map<String, Numbers> windowNumbers(ModelRoute route) {
    Map<String, DataPlaneReadings.Reading> window = windows.getOrDefault(route.key(), Map.of());
    Map<String, Numbers> out = new LinkedHashMap<>();
    for (ModelVersion v : route.spec().versions()) {
      out.put(v.name(), numbers(route, v.name(), window.get(v.name())));
    }
    return out;
  }

  /** Per-version numbers over time, oldest first. */
  public List<RolloutView.Sample> samples(ModelRoute route) {
    Deque<RolloutView.Sample> s = samples.get(route.key());
    if (s == null) {
      return List.of();
    }
    synchronized (s) {
      return List.copyOf(s);
    }
  }

  /** Stores {@code after} if {@code before} is still what is stored; false when it is not (nothing is written). */
  private boolean save(ModelRoute route, RolloutState before, RolloutState after) {
    if (!states.replace(route.key(), before, after)) {
      log.info("rollout of ModelRoute {}: changed meanwhile elsewhere; deciding again on the next tick", route.key());
      return false;
    }
    List<RolloutEvent> events = after.history();
    int known = before == null || !before.rolloutHash().equals(after.rolloutHash()) ? 0 : before.history().size();
    for (RolloutEvent e : events.subList(Math.min(known, events.size()), events.size())) {
      log.info("rollout of ModelRoute {}: {} (phase {}, canary {} at {} %): {}", route.key(), e.event(), e.phase(),
          route.spec().rollout().canary(), e.canaryWeight(), e.message());
    }
    if (after.phase() == RolloutPhase.RolledBack && (before == null || before.phase() != RolloutPhase.RolledBack)) {
      webhooks.rolledBack(route, after);
    }
    return true;
  }

  private void sample(ModelRoute route, Instant now) {
    String key = route.key();
    Instant last = lastSampleAt.get(key);
    if (last != null && now.isBefore(last.plus(sampleInterval))) {
      return;
    }
    Map<String, DataPlaneReadings.Reading> current = read(route);
    Map<String, DataPlaneReadings.Reading> previous = lastSample.put(key, current);
    lastSampleAt.put(key, now);
    if (previous == null) {
      return;
    }
    Map<String, Numbers> byVersion = new LinkedHashMap<>();
    for (ModelVersion v : route.spec().versions()) {
      DataPlaneReadings.Reading before = previous.get(v.name());
      if (before != null) {
        byVersion.put(v.name(), current.get(v.name()).since(before, failures(route)));
      }
    }
    Deque<RolloutView.Sample> s = samples.computeIfAbsent(key, k -> new ArrayDeque<>());
    synchronized (s) {
      s.addLast(new RolloutView.Sample(now, byVersion));
      while (s.size() > SAMPLES) {
        s.removeFirst();
      }
    }
  }

  private Map<String, DataPlaneReadings.Reading> read(ModelRoute route) {
    Map<String, DataPlaneReadings.Reading> out = new HashMap<>();
    for (ModelVersion v : route.spec().versions()) {
      out.put(v.name(), readings.read(Names.cluster(route, v.name())));
    }
    return out;
  }

  private Numbers numbers(ModelRoute route, String version, DataPlaneReadings.Reading since) {
    if (since == null) {
      return Numbers.NONE;
    }
    return readings.read(Names.cluster(route, version)).since(since, failures(route));
  }

  private static dev.sluice.model.RolloutAnalysis.FailureCodes failures(ModelRoute route) {
    return route.spec().rollout().effectiveAnalysis().failures();
  }
}
