package dev.sluice.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** B3's account of the publisher, from two of the load server's {@code publisher} answers. */
class ChurnRunTest {

  @Test
  void twoAnswers_giveThePublishersRunsAndCpuInBetween() {
    assertThat(ChurnRun.publisher("12 300000000", "243 2650000000")).isEqualTo("ran 231 times, 2.4 s CPU");
  }

  @Test
  void aServerWithoutAPublisher_isSaidNotCounted() {
    assertThat(ChurnRun.publisher("-1 -1", "-1 -1")).isEqualTo("not counted");
    assertThat(ChurnRun.publisher("error unknown command publisher", "3 4")).isEqualTo("not counted");
  }
}
