package dev.sluice.controlplane.xds;

import dev.sluice.model.Metadata;
import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelRouteSpec;
import dev.sluice.model.ModelVersion;
import dev.sluice.model.Protocol;
import dev.sluice.translate.EnvoyTranslator;
import dev.sluice.translate.ProxyGroup;
import dev.sluice.translate.RouteCompiler;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A snapshot publisher on fake time, for tests: its work runs on a {@link FakeScheduler} when the
 * test moves the clock, its thread's CPU time is a counter the test moves, the snapshots it sets for
 * the proxyless group are recorded in order, and its metrics land in a Prometheus registry.
 */
final class FakeTimePublisher {
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final FakeScheduler scheduler = new FakeScheduler(clock);
  final AtomicLong cpuNanos = new AtomicLong();
  /** The whole process's work, as the slow-publication WARN reads it; tests move it. */
  final AtomicReference<ProcessWork> process = new AtomicReference<>(new ProcessWork(0, 0, 0));
  final RecordingCache cache = new RecordingCache();
  final AtomicReference<List<ModelRoute>> routes;
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final SnapshotPublisher publisher;

  /** Records every snapshot set for the proxyless group. */
  static final class RecordingCache extends SimpleCache<ProxyGroup> {
    final List<Snapshot> set = new CopyOnWriteArrayList<>();

    RecordingCache() {
      super(new ProxyGroups());
    }

    @Override
    public void setSnapshot(ProxyGroup group, Snapshot snapshot) {
      if (group.equals(ProxyGroup.PROXYLESS)) {
        set.add(snapshot);
      }
      super.setSnapshot(group, snapshot);
    }
  }

  FakeTimePublisher(List<ModelRoute> initial, Debouncer debouncer, Duration stepTimeout) {
    this(initial, debouncer, stepTimeout, Duration.ofSeconds(1), RouteCompiler.STANDARD);
  }

  FakeTimePublisher(List<ModelRoute> initial, Debouncer debouncer, Duration stepTimeout, Duration slowPublication,
      RouteCompiler compiler) {
    routes = new AtomicReference<>(initial);
    XdsMetrics metrics = new XdsMetrics(registry, scheduler::nanoTime);
    publisher = new SnapshotPublisher(cache, new EnvoyTranslator(compiler).memoizing(), new RejectedRoutes(), routes::get,
        debouncer, new PublishedEpochs(), metrics, stepTimeout, registry.timer("translation"), scheduler,
        scheduler::nanoTime,
        new PublicationCost(scheduler::nanoTime, cpuNanos::get, process::get, slowPublication, metrics));
  }

  /** One model, {@code ml/m}, all of its traffic to one version served at {@code address}. */
  static ModelRoute route(String version, String address) {
    return ModelRoute.of(Metadata.of("ml", "m"), new ModelRouteSpec(List.of("m.ml"), 8080, Protocol.GRPC,
        List.of(new ModelVersion(version, 100, List.of(address))), null, null));
  }

  /** The store now holds {@code route}, and says so. */
  void change(ModelRoute route) {
    routes.set(List.of(route));
    publisher.requestPublish();
  }
}
