package dev.sluice.controlplane.xds;

import static dev.sluice.controlplane.xds.FakeTimePublisher.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.model.Metadata;
import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelRouteSpec;
import dev.sluice.model.ModelVersion;
import dev.sluice.model.Protocol;
import dev.sluice.translate.ProxyGroup;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Make before break, step by step: a route that moves from cluster X to cluster Y in one write
 * reaches the proxies as three snapshots (X and Y with the old routes; X and Y with the new
 * routes; Y alone), each step waiting for the proxies' ACKs, or for the step timeout. Time is fake:
 * waiting is moving the clock.
 */
class SnapshotPublisherStepsTest {
  static final Duration STEP_TIMEOUT = Duration.ofSeconds(5);
  static final Duration JUST_UNDER = STEP_TIMEOUT.minusNanos(1);

  final AtomicBoolean acked = new AtomicBoolean(false);
  final FakeTimePublisher f = new FakeTimePublisher(List.of(route("x", "10.0.0.1:8080")),
      new Debouncer(Duration.ZERO, Duration.ZERO), STEP_TIMEOUT);

  void start() {
    f.publisher.watchAcks((group, versions) -> acked.get());
    f.publisher.publishNow();
    f.cache.set.clear();
  }

  @Test
  void aRouteMovingToANewCluster_addsItFirst_movesTheRouteNext_andRemovesTheOldClusterLast() {
    start();
    f.change(route("y", "10.0.0.1:8080"));
    f.scheduler.runPending();

    assertThat(f.cache.set).hasSize(1);
    assertThat(clusters(f.cache.set.get(0))).containsExactly("ml|m|x", "ml|m|y");
    assertThat(routeTargets(f.cache.set.get(0))).as("routes still on x while y is added").contains("ml|m|x").doesNotContain("ml|m|y");
    f.scheduler.advance(JUST_UNDER);
    assertThat(f.cache.set).as("the next step waits for the proxies' ACKs").hasSize(1);

    acked.set(true);
    f.publisher.acked(ProxyGroup.PROXYLESS);
    f.scheduler.runPending();
    assertThat(f.cache.set).hasSize(3);
    assertThat(clusters(f.cache.set.get(1))).as("x stays while the routes move").containsExactly("ml|m|x", "ml|m|y");
    assertThat(routeTargets(f.cache.set.get(1))).contains("ml|m|y").doesNotContain("ml|m|x");
    assertThat(clusters(f.cache.set.get(2))).containsExactly("ml|m|y");

    f.scheduler.advance(STEP_TIMEOUT.multipliedBy(3));
    assertThat(f.cache.set).as("the step timers of steps already taken do nothing").hasSize(3);
  }

  @Test
  void aStepThatIsNeverAcked_isTakenWhenTheStepTimeoutEnds() {
    start();
    f.change(route("y", "10.0.0.1:8080"));
    f.scheduler.runPending();
    assertThat(f.cache.set).hasSize(1);

    f.scheduler.advance(JUST_UNDER);
    assertThat(f.cache.set).as("the routes wait for the step timeout").hasSize(1);
    f.scheduler.advance(Duration.ofNanos(1));
    assertThat(f.cache.set).hasSize(2);
    assertThat(routeTargets(f.cache.set.get(1))).contains("ml|m|y").doesNotContain("ml|m|x");

    f.scheduler.advance(JUST_UNDER);
    assertThat(f.cache.set).as("the removal waits for the step timeout too").hasSize(2);
    f.scheduler.advance(Duration.ofNanos(1));
    assertThat(f.cache.set).hasSize(3);
    assertThat(clusters(f.cache.set.get(2))).containsExactly("ml|m|y");
  }

  @Test
  void aChangeThatAddsNoClusterAndRemovesNone_isOneSnapshot() {
    start();
    f.routes.set(List.of(ModelRoute.of(Metadata.of("ml", "m"), new ModelRouteSpec(List.of("m.ml"), 8080, Protocol.GRPC,
        List.of(new ModelVersion("x", 100, List.of("10.0.0.2:8080"))), "3s", null))));
    f.publisher.requestPublish();
    f.scheduler.runPending();
    assertThat(f.cache.set).hasSize(1);

    f.scheduler.advance(STEP_TIMEOUT.multipliedBy(3));
    assertThat(f.cache.set).as("no step follows").hasSize(1);
    assertThat(f.scheduler.queued()).as("no step timer either").isZero();
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
