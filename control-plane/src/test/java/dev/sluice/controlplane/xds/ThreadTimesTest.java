package dev.sluice.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Which Java threads used the CPU between two moments, by kind, as the slow-publication WARN says it. */
class ThreadTimesTest {
  static final long MS = 1_000_000;
  static final Map<Long, String> NAMES = Map.of(1L, "grpc-default-executor-1", 2L, "sluice-publisher",
      3L, "http-nio-8080-exec-3", 4L, "grpc-default-executor-17", 5L, "http-nio-8080-exec-12");

  @Test
  void threadsAreGroupedByNameWithDigitsFolded_busiestFirst_newThreadsCountingAllTheirTime() {
    ThreadTimes start = new ThreadTimes(Map.of(1L, 0L, 2L, 100 * MS, 3L, 5 * MS), ids -> NAMES);
    ThreadTimes end = new ThreadTimes(Map.of(1L, 50 * MS, 2L, 900 * MS, 3L, 5 * MS, 4L, 300 * MS, 5L, 10 * MS), ids -> NAMES);

    assertThat(end.busiestSince(start, 4))
        .isEqualTo("sluice-publisher 800 ms, grpc-default-executor-N ×2 350 ms, http-nio-N-exec-N 10 ms");
    assertThat(end.busiestSince(start, 1)).isEqualTo("sluice-publisher 800 ms");
  }

  @Test
  void threadsThatUsedLessThanAMillisecond_orNothing_areLeftOut() {
    ThreadTimes start = new ThreadTimes(Map.of(1L, 0L, 2L, 7 * MS), ids -> NAMES);
    assertThat(new ThreadTimes(Map.of(1L, MS / 2, 2L, 7 * MS), ids -> NAMES).busiestSince(start, 4)).isEmpty();
    assertThat(ThreadTimes.UNKNOWN.busiestSince(ThreadTimes.UNKNOWN, 4)).isEmpty();
  }

  @Test
  void aThreadThatEndedBeforeItsNameWasAsked_isCountedAsEnded() {
    ThreadTimes start = new ThreadTimes(Map.of(), ids -> Map.of());
    assertThat(new ThreadTimes(Map.of(9L, 20 * MS), ids -> Map.of()).busiestSince(start, 4)).isEqualTo("(ended) 20 ms");
  }

  @Test
  void thisJvmsThreads_areMeasuredAndNamed() throws InterruptedException {
    CountDownLatch measured = new CountDownLatch(1);
    AtomicLong sink = new AtomicLong();
    ThreadTimes start = ThreadTimes.now();
    Thread spinner = new Thread(() -> {
      long deadline = System.nanoTime() + 200 * MS;
      long x = 0;
      while (System.nanoTime() < deadline) {
        x += x % 7 + 1;
      }
      sink.set(x);
      try {
        measured.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "spinner-42");
    spinner.start();
    Thread.sleep(400); // real CPU work to be measured, not a wait for an event
    ThreadTimes end = ThreadTimes.now();
    String busiest = end.busiestSince(start, 10); // while the spinner lives: names are looked up now
    measured.countDown();
    spinner.join();

    assertThat(sink.get()).isPositive();
    assertThat(busiest).containsPattern("spinner-N \\d{2,} ms");
  }
}
