package dev.sluice.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.model.Metadata;
import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelRouteSpec;
import dev.sluice.model.ModelVersion;
import dev.sluice.model.Protocol;
import dev.sluice.translate.EnvoyTranslator;
import dev.sluice.translate.ProxyGroup;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Make before break, step by step: a route that moves from cluster X to cluster Y in one write
 * reaches the proxies as three snapshots (X and Y with the old routes; X and Y with the new
 * routes; Y alone), each step waiting for the proxies' ACKs.
 */
class SnapshotPublisherStepsTest {
  /** Records every snapshot set. */
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

  final RecordingCache cache = new RecordingCache();
  final AtomicReference<List<ModelRoute>> routes = new AtomicReference<>(List.of(route("x")));
  final AtomicBoolean acked = new AtomicBoolean(false);
  SnapshotPublisher publisher;

  static ModelRoute route(String version) {
    return ModelRoute.of(Metadata.of("ml", "m"), new ModelRouteSpec(List.of("m.ml"), 8080, Protocol.GRPC,
        List.of(new ModelVersion(version, 100, List.of("10.0.0.1:8080"))), null, null));
  }

  void start(Duration stepTimeout) {
    publisher = new SnapshotPublisher(cache, EnvoyTranslator.STANDARD, new RejectedRoutes(), routes::get,
        new Debouncer(Duration.ZERO, Duration.ZERO), System::nanoTime, new PublishedEpochs(), XdsMetrics.unregistered(),
        stepTimeout, new io.micrometer.core.instrument.simple.SimpleMeterRegistry().timer("translation"));
    publisher.watchAcks((group, versions) -> acked.get());
    publisher.publishNow();
  }

  @AfterEach
  void stop() {
    publisher.close();
  }

  @Test
  void aRouteMovingToANewCluster_addsItFirst_movesTheRouteNext_andRemovesTheOldClusterLast() throws Exception {
    start(Duration.ofSeconds(30));
    cache.set.clear();
    acked.set(false);
    routes.set(List.of(route("y")));
    publisher.requestPublish();

    awaitSnapshots(1);
    assertThat(clusters(cache.set.get(0))).containsExactly("ml|m|x", "ml|m|y");
    assertThat(routeTargets(cache.set.get(0))).as("routes still on x while y is added").contains("ml|m|x").doesNotContain("ml|m|y");
    Thread.sleep(300);
    assertThat(cache.set).as("the next step waits for the proxies' ACKs").hasSize(1);

    acked.set(true);
    publisher.acked(ProxyGroup.PROXYLESS);
    awaitSnapshots(3);
    assertThat(clusters(cache.set.get(1))).as("x stays while the routes move").containsExactly("ml|m|x", "ml|m|y");
    assertThat(routeTargets(cache.set.get(1))).contains("ml|m|y").doesNotContain("ml|m|x");
    assertThat(clusters(cache.set.get(2))).containsExactly("ml|m|y");
    assertThat(cache.set).hasSize(3);
  }

  @Test
  void aStepThatIsNeverAcked_isTakenAfterTheStepTimeout() throws Exception {
    start(Duration.ofMillis(200));
    cache.set.clear();
    routes.set(List.of(route("y")));
    publisher.requestPublish();
    awaitSnapshots(3);
    assertThat(clusters(cache.set.get(2))).containsExactly("ml|m|y");
  }

  @Test
  void aChangeThatAddsNoClusterAndRemovesNone_isOneSnapshot() throws Exception {
    start(Duration.ofSeconds(30));
    cache.set.clear();
    routes.set(List.of(ModelRoute.of(Metadata.of("ml", "m"), new ModelRouteSpec(List.of("m.ml"), 8080, Protocol.GRPC,
        List.of(new ModelVersion("x", 100, List.of("10.0.0.2:8080"))), "3s", null))));
    publisher.requestPublish();
    awaitSnapshots(1);
    Thread.sleep(300);
    assertThat(cache.set).hasSize(1);
  }

  private void awaitSnapshots(int n) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (cache.set.size() < n && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(cache.set).hasSizeGreaterThanOrEqualTo(n);
  }

  private static Set<String> clusters(Snapshot s) {
    return new TreeSet<>(s.clusters().resources().keySet());
  }

  private static String routeTargets(Snapshot s) {
    StringBuilder out = new StringBuilder();
    for (RouteConfiguration rc : s.routes().resources().values()) {
      out.append(rc.toString());
    }
    return out.toString();
  }
}
