package dev.sluice.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The machine probe's summary line (the steal it reads is {@code CpuSupply}'s, tested there). */
class MachineSpeedTest {

  @Test
  void theSummary_givesTheMedianAndSlowestSampleAgainstTheStart() {
    assertThat(MachineSpeed.describe(1_000, new long[] {2_000, 1_000, 1_250}, 0.31))
        .isEqualTo("CPU speed 0.80x of the run's start (slowest 0.50x, 3 samples), steal 0.3 s");
  }

  @Test
  void noSamplesOrNoStealColumn_areSaidSo() {
    assertThat(MachineSpeed.describe(1_000, new long[0], -1)).isEqualTo("CPU speed not sampled, steal unknown");
  }

  @Test
  void aWindow_summarisesTheSamplesTakenSinceTheLast() {
    MachineSpeed speed = new MachineSpeed();
    speed.sample();
    speed.sample();
    assertThat(speed.window()).matches("CPU speed \\d+\\.\\d\\dx of the run's start \\(slowest \\d+\\.\\d\\dx, 2 samples\\), "
        + "steal (\\d+\\.\\d s|unknown)");
    assertThat(speed.window()).startsWith("CPU speed not sampled");
  }
}
