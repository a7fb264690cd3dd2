package dev.sluice.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DebouncerTest {
  static final long MS = 1_000_000;
  final Debouncer debouncer = new Debouncer(Duration.ofMillis(100), Duration.ofMillis(1000));

  @Test
  void singleChange_publishesAfterTheQuietTime() {
    assertThat(debouncer.onChange(0)).isEqualTo(100 * MS);
  }

  @Test
  void burst_movesThePublicationWithEachChange() {
    debouncer.onChange(0);
    assertThat(debouncer.onChange(50 * MS)).isEqualTo(150 * MS);
  }

  @Test
  void endlessBurst_isPublishedWithinTheMaximumDelay() {
    long at = 0;
    for (long t = 0; t < 5000 * MS; t += 50 * MS) {
      at = debouncer.onChange(t);
      if (at <= t) {
        break;
      }
    }
    assertThat(at).isEqualTo(1000 * MS);
  }

  @Test
  void afterPublication_aNewBurstStarts() {
    debouncer.onChange(0);
    debouncer.onPublish();
    assertThat(debouncer.onChange(2000 * MS)).isEqualTo(2100 * MS);
  }
}
