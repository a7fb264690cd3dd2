package dev.sluice.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The machine probe's reading of {@code /proc/stat} and its summary line. */
class MachineSpeedTest {

  @Test
  void steal_isTheEighthNumberOfTheCpuLine() {
    String stat = "cpu  2352926 463 350126 6683141 6208 0 64298 23192 0 0\ncpu0 1237388 193 172843 3285095 1970 0 31335 11509 0 0\n";
    assertThat(MachineSpeed.stealTicks(stat)).isEqualTo(23192);
  }

  @Test
  void aStatWithoutTheColumn_givesNoSteal() {
    assertThat(MachineSpeed.stealTicks("cpu  1 2 3 4\n")).isEqualTo(-1);
    assertThat(MachineSpeed.stealTicks("")).isEqualTo(-1);
  }

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
