package dev.sluice.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FakeSchedulerTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  final MutableClock clock = new MutableClock(T0);
  final FakeScheduler scheduler = new FakeScheduler(clock);
  final List<String> ran = new ArrayList<>();

  /** Records the task's name and the clock's time when it ran, in milliseconds since T0. */
  Runnable task(String name) {
    return () -> ran.add(name + "@" + Duration.between(T0, clock.instant()).toMillis());
  }

  @Test
  void tasksRunOnlyWhenTheClockReachesThem_inTimeOrder_withTheClockAtTheirDueTime() {
    scheduler.schedule(task("b"), 200, TimeUnit.MILLISECONDS);
    scheduler.schedule(task("a"), 100, TimeUnit.MILLISECONDS);
    scheduler.execute(task("now"));
    assertThat(ran).as("nothing runs by itself").isEmpty();

    scheduler.runPending();
    assertThat(ran).containsExactly("now@0");
    scheduler.advance(Duration.ofMillis(200).minusNanos(1));
    assertThat(ran).containsExactly("now@0", "a@100");
    scheduler.advance(Duration.ofNanos(1));
    assertThat(ran).containsExactly("now@0", "a@100", "b@200");
    assertThat(clock.instant()).isEqualTo(T0.plusMillis(200));
  }

  @Test
  void tasksDueAtTheSameTime_runInTheOrderTheyCame_andOnesTheyScheduleOnTheWayRunToo() {
    scheduler.schedule(task("first"), 1, TimeUnit.SECONDS);
    scheduler.schedule(() -> scheduler.schedule(task("later"), 1, TimeUnit.SECONDS), 1, TimeUnit.SECONDS);
    scheduler.schedule(task("second"), 1, TimeUnit.SECONDS);

    scheduler.advance(Duration.ofSeconds(5));
    assertThat(ran).containsExactly("first@1000", "second@1000", "later@2000");
  }

  @Test
  void aCancelledTask_neverRuns_andAFixedDelayTaskRepeatsUntilCancelled() {
    ScheduledFuture<?> cancelled = scheduler.schedule(task("cancelled"), 1, TimeUnit.SECONDS);
    ScheduledFuture<?> repeating = scheduler.scheduleWithFixedDelay(task("tick"), 1, 1, TimeUnit.SECONDS);
    cancelled.cancel(false);

    scheduler.advance(Duration.ofMillis(2500));
    repeating.cancel(false);
    scheduler.advance(Duration.ofSeconds(10));
    assertThat(ran).containsExactly("tick@1000", "tick@2000");
    assertThat(scheduler.queued()).isZero();
  }

  @Test
  void waitingForATask_runsWhatIsDueNow_andFailsForATaskDueLater() throws Exception {
    Future<String> now = scheduler.submit(() -> "done");
    assertThat(now.get()).isEqualTo("done");

    ScheduledFuture<String> later = scheduler.schedule(() -> "later", 1, TimeUnit.SECONDS);
    assertThatThrownBy(later::get).isInstanceOf(IllegalStateException.class).hasMessageContaining("advance the clock");
  }

  @Test
  void theTickerMovesWithTheClockOnly() {
    long before = scheduler.nanoTime();
    assertThat(scheduler.nanoTime()).isEqualTo(before);
    clock.advance(Duration.ofMillis(3));
    assertThat(scheduler.nanoTime() - before).isEqualTo(3_000_000);
  }
}
