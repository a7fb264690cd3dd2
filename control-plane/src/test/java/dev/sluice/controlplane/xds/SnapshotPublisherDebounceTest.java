package dev.sluice.controlplane.xds;

import static dev.sluice.controlplane.xds.FakeTimePublisher.route;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The publisher publishes a burst of changes once, {@code debounce} after its last change but no
 * later than {@code max-delay} after its first. Time is fake: each "not yet" is checked one
 * nanosecond before the publication is due, and the publication at the moment it is due.
 */
class SnapshotPublisherDebounceTest {
  static final Duration QUIET = Duration.ofMillis(100);
  static final Duration MAX_DELAY = Duration.ofSeconds(1);
  static final Duration NANO = Duration.ofNanos(1);

  final FakeTimePublisher f = new FakeTimePublisher(List.of(route("v1", "10.0.0.1:8080")),
      new Debouncer(QUIET, MAX_DELAY), Duration.ofSeconds(5));
  int writes = 1;

  @BeforeEach
  void start() {
    f.publisher.publishNow();
    f.cache.set.clear();
  }

  /** A write that changes the route's endpoints only: one snapshot, no make-before-break steps. */
  void write() {
    f.change(route("v1", "10.0.0." + ++writes + ":8080"));
  }

  @Test
  void aChange_isPublishedWhenTheQuietTimeEnds_andNotBefore() {
    write();
    f.scheduler.advance(QUIET.minus(NANO));
    assertThat(f.cache.set).as("nothing before the quiet time ends").isEmpty();
    f.scheduler.advance(NANO);
    assertThat(f.cache.set).hasSize(1);
  }

  @Test
  void eachChangeOfABurst_putsThePublicationOffUntilTheQuietTimeAfterIt() {
    write();
    f.scheduler.advance(Duration.ofMillis(60));
    write();
    f.scheduler.advance(QUIET.minus(NANO));
    assertThat(f.cache.set).as("the second change moved the publication").isEmpty();
    f.scheduler.advance(NANO);
    assertThat(f.cache.set).as("one publication for the burst").hasSize(1);
    assertThat(f.cache.set.get(0).endpoints().resources().toString()).contains("10.0.0.3");
  }

  @Test
  void aBurstThatNeverPauses_isPublishedAtTheMaximumDelay() {
    Duration every = QUIET.dividedBy(2);
    write();
    for (Duration t = every; t.compareTo(MAX_DELAY) < 0; t = t.plus(every)) {
      f.scheduler.advance(every);
      assertThat(f.cache.set).as("still in the burst at %s", t).isEmpty();
      write();
    }
    // The last change came at MAX_DELAY - every; its quiet time would end after MAX_DELAY.
    f.scheduler.advance(every.minus(NANO));
    assertThat(f.cache.set).as("nothing before the maximum delay").isEmpty();
    f.scheduler.advance(NANO);
    assertThat(f.cache.set).as("published at the maximum delay although changes keep coming").hasSize(1);
  }

  @Test
  void afterAPublication_theNextChangeStartsANewBurst() {
    write();
    f.scheduler.advance(QUIET);
    assertThat(f.cache.set).hasSize(1);

    f.scheduler.advance(MAX_DELAY.multipliedBy(2));
    write();
    f.scheduler.advance(QUIET.minus(NANO));
    assertThat(f.cache.set).as("a new burst waits its own quiet time").hasSize(1);
    f.scheduler.advance(NANO);
    assertThat(f.cache.set).hasSize(2);
  }

  @Test
  void withoutChanges_nothingIsPublished() {
    f.scheduler.advance(Duration.ofHours(1));
    assertThat(f.cache.set).isEmpty();
    assertThat(f.scheduler.queued()).as("nothing waits to run").isZero();
    assertThat(f.registry.get("sluice.xds.publications").counter().count()).as("the first publication only").isEqualTo(1);
  }
}
