package dev.sluice.controlplane.xds;

import static dev.sluice.controlplane.xds.FakeTimePublisher.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.translate.ProxyGroup;
import dev.sluice.translate.RouteCompiler;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The guard against a publisher that spins: publications are counted, their wall and CPU time
 * recorded, and one slower than {@code sluice.xds.slow-publication} is a WARN that names it and says
 * what the rest of the process did meanwhile. A translation that moves the fake clock (and the fake
 * CPU counters) stands for a slow one.
 */
@ExtendWith(OutputCaptureExtension.class)
class SnapshotPublisherCostTest {
  static final Duration SLOW = Duration.ofSeconds(1);

  Duration wallPerTranslation = Duration.ZERO;
  Duration cpuPerTranslation = Duration.ZERO;
  /** What the rest of the process does while a route for {@code slowGroup} compiles. */
  ProcessWork processPerTranslation = new ProcessWork(0, 0, 0);
  /** The Java threads' CPU times once a route for {@code slowGroup} has compiled; null leaves them as they were. */
  ThreadTimes threadsAfterTranslation;
  /** The CPU the machine had denied once a route for {@code slowGroup} has compiled; null leaves it as it was. */
  CpuSupply supplyAfterTranslation;
  ProxyGroup slowGroup = ProxyGroup.PROXYLESS;
  /** Compiling a route for {@code slowGroup} takes the time set above; for other groups, none. */
  final RouteCompiler compiler = (route, group) -> {
    if (group.equals(slowGroup)) {
      f().clock.advance(wallPerTranslation);
      f().cpuNanos.addAndGet(cpuPerTranslation.toNanos());
      f().process.updateAndGet(w -> w.cpuNanos() < 0 ? w : new ProcessWork(w.cpuNanos() + processPerTranslation.cpuNanos(),
          w.collectingMillis() + processPerTranslation.collectingMillis(),
          w.compilingMillis() + processPerTranslation.compilingMillis(),
          threadsAfterTranslation == null ? w.threads() : threadsAfterTranslation,
          supplyAfterTranslation == null ? w.supply() : supplyAfterTranslation));
    }
    return RouteCompiler.STANDARD.compile(route, group);
  };
  final FakeTimePublisher f = new FakeTimePublisher(List.of(route("v1", "10.0.0.1:8080")),
      new Debouncer(Duration.ZERO, Duration.ZERO), Duration.ofSeconds(5), SLOW, compiler);
  int writes = 1;

  private FakeTimePublisher f() {
    return f;
  }

  @BeforeEach
  void start() {
    f.publisher.publishNow();
  }

  /** One publication of a changed route, whose translation takes {@code wall} and {@code cpu}. */
  void publishTaking(Duration wall, Duration cpu) {
    wallPerTranslation = wall;
    cpuPerTranslation = cpu;
    f.change(route("v1", "10.0.0." + ++writes + ":8080"));
    f.scheduler.runPending();
  }

  @Test
  void aPublicationSlowerThanTheLimit_isAWarnNamingItsGroupsAndChangedRoutes_withWallAndCpuTime(CapturedOutput output) {
    publishTaking(SLOW.plusMillis(500), Duration.ofMillis(1200));

    assertThat(output.getOut()).contains("WARN")
        .contains("slow publication: 1500 ms, 1200 ms CPU (sluice.xds.slow-publication is PT1S)")
        .contains("2 groups [").contains(ProxyGroup.PROXYLESS.toString()).contains(ProxyGroup.DEFAULT_GATEWAY.toString())
        .contains("routes: 1, changed since the last publication: 1 (ml/m)");
  }

  @Test
  void aSlowPublicationsWarn_saysWhatTheRestOfTheProcessDidMeanwhile(CapturedOutput output) {
    f.process.set(new ProcessWork(5_000_000_000L, 300, 9_000));
    processPerTranslation = new ProcessWork(3_400_000_000L, 20, 1_500);
    publishTaking(SLOW.plusMillis(800), Duration.ofMillis(100));

    assertThat(output.getOut()).contains("slow publication: 1800 ms, 100 ms CPU")
        .contains("; the process meanwhile: 3400 ms CPU on all threads, 20 ms in collection pauses, 1500 ms compiling (JIT)");
  }

  @Test
  void aSlowPublicationsWarn_namesTheJavaThreadsThatUsedTheCpu(CapturedOutput output) {
    Map<Long, String> names = Map.of(1L, "sluice-publisher", 2L, "grpc-default-executor-4", 3L, "grpc-default-executor-9");
    f.process.set(new ProcessWork(0, 0, 0, new ThreadTimes(Map.of(1L, 0L, 2L, 0L, 3L, 0L), ids -> names)));
    threadsAfterTranslation = new ThreadTimes(Map.of(1L, 100_000_000L, 2L, 1_500_000_000L, 3L, 1_200_000_000L), ids -> names);
    processPerTranslation = new ProcessWork(2_800_000_000L, 0, 0);
    publishTaking(SLOW.plusMillis(800), Duration.ofMillis(100));

    assertThat(output.getOut()).contains("2800 ms CPU on all threads, 0 ms in collection pauses, 0 ms compiling (JIT); "
        + "busiest Java threads: grpc-default-executor-N ×2 2700 ms, sluice-publisher 100 ms");
  }

  @Test
  void aSlowPublicationsWarn_saysWhatCpuTheContainersLimitAndTheHostDenied(CapturedOutput output) {
    f.process.set(new ProcessWork(0, 0, 0, ThreadTimes.UNKNOWN, new CpuSupply(1_000_000, 50_000)));
    supplyAfterTranslation = new CpuSupply(5_200_000, 50_300);
    publishTaking(SLOW.plusMillis(800), Duration.ofMillis(100));

    assertThat(output.getOut()).contains("0 ms compiling (JIT); the machine meanwhile: 4200 ms throttled by the "
        + "container's CPU limit (summed over CPUs), 300 ms of CPU taken by the hypervisor (steal, all CPUs)");
  }

  @Test
  void whatTheJvmDoesNotMeasure_isAQuestionMark(CapturedOutput output) {
    f.process.set(ProcessWork.UNKNOWN);
    publishTaking(SLOW.plusMillis(1), Duration.ZERO);

    assertThat(output.getOut()).contains("the process meanwhile: ? ms CPU on all threads, ? ms in collection pauses, ? ms compiling");
  }

  @Test
  void theJvmsOwnFigures_areKnownHere() {
    ProcessWork before = ProcessWork.now();
    long spin = 0;
    for (int i = 0; i < 20_000_000; i++) {
      spin += i % 7;
    }
    ProcessWork after = ProcessWork.now();
    assertThat(spin).isPositive();
    assertThat(after.cpuNanos()).isGreaterThan(before.cpuNanos()).isPositive();
    assertThat(after.collectingMillis()).isGreaterThanOrEqualTo(before.collectingMillis()).isNotNegative();
    assertThat(after.compilingMillis()).isGreaterThanOrEqualTo(before.compilingMillis()).isNotNegative();
  }

  @Test
  void aPublicationThatTakesTheLimitExactly_isNotAWarn(CapturedOutput output) {
    publishTaking(SLOW, SLOW);
    assertThat(f.cache.set).as("it was published").isNotEmpty();
    assertThat(output.getOut()).doesNotContain("slow publication");
  }

  @Test
  void eachPublication_isCountedWithItsWallAndCpuTime() {
    publishTaking(Duration.ofMillis(300), Duration.ofMillis(200));
    publishTaking(Duration.ofMillis(700), Duration.ofMillis(600));

    assertThat(f.registry.get("sluice.xds.publications").counter().count()).as("the first and two changes").isEqualTo(3);
    Timer wall = f.registry.get("sluice.xds.publication").timer();
    Timer cpu = f.registry.get("sluice.xds.publication.cpu").timer();
    assertThat(wall.count()).isEqualTo(3);
    assertThat(wall.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1000);
    assertThat(wall.max(TimeUnit.MILLISECONDS)).isEqualTo(700);
    assertThat(cpu.count()).isEqualTo(3);
    assertThat(cpu.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(800);
    assertThat(f.registry.scrape()).contains("sluice_xds_publications_total 3.0")
        .contains("sluice_xds_publication_seconds_sum 1.0").contains("sluice_xds_publication_cpu_seconds_sum 0.8");
  }

  @Test
  void aNewGroupsFirstSnapshot_isAPublicationToo(CapturedOutput output) {
    ProxyGroup added = ProxyGroup.gateway(10080);
    slowGroup = added;
    wallPerTranslation = SLOW.plusMillis(1);
    f.publisher.addGroup(added);
    f.scheduler.runPending();

    assertThat(f.registry.get("sluice.xds.publications").counter().count()).isEqualTo(2);
    assertThat(output.getOut()).contains("slow publication: 1001 ms, 0 ms CPU")
        .contains("the first snapshot of a new group, 1 group [" + added + "], routes: 1");
  }
}
