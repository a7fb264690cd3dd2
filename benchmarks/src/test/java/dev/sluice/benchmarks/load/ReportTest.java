package dev.sluice.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The B1 tables: Sluice's ratios to floor (c) appear where both were measured, and where the CPU went. */
class ReportTest {

  private static ConvergenceRun.Point point(String server, int clients, double p99, long heap, double cpu) {
    return new ConvergenceRun.Point("sotw", 5, server, clients, 5_000, new Latencies(clients, p99 / 2, p99, p99, p99 * 2),
        heap, 100, cpu, server.equals("floor-c") ? "" : "grpc-default-worker-ELG-N-N ×2 1.1 s, CN_CompilerThre ×2 0.9 s");
  }

  @Test
  void sluiceOverFloorC_givesEachRatioPerSize() {
    List<ConvergenceRun.Point> points = List.of(point("sluice", 1_000, 90, 20_000, 30),
        point("floor-c", 1_000, 100, 40_000, 60), point("sluice", 10_000, 600, 16_000, 300));
    String report = new Report().convergence(points, 100, 1).toString();
    assertThat(report).contains("Sluice ÷ floor (c)")
        .contains("| sotw | 4.9 KB | 1,000 | 0.90 | 0.90 | 0.90 | 0.50 | 0.50 |")
        .doesNotContain("| sotw | 4.9 KB | 10,000 | 0.");
  }

  @Test
  void withoutFloorC_thereIsNoRatioTable() {
    String report = new Report().convergence(List.of(point("sluice", 1_000, 90, 20_000, 30)), 100, 1).toString();
    assertThat(report).doesNotContain("floor (c), go-control-plane: below 1");
  }

  @Test
  void theJavaServersBusiestThreads_areListedPerSize() {
    List<ConvergenceRun.Point> points = List.of(point("sluice", 1_000, 90, 20_000, 30), point("floor-c", 1_000, 100, 40_000, 60));
    String report = new Report().convergence(points, 100, 1).toString();
    assertThat(report).contains("- sotw, 4.9 KB, 1,000, sluice: grpc-default-worker-ELG-N-N ×2 1.1 s, CN_CompilerThre ×2 0.9 s")
        .doesNotContain("1,000, floor-c:");
  }

  @Test
  void eachChurnPhase_saysWhetherTheMachineRanSlower() {
    ChurnRun.Phase phase = new ChurnRun.Phase("sotw", 1_000, 0, 600, 60.0, new Latencies(600_000, 120, 400, 500, 900), 240,
        40.0, 60 << 20, 61 << 20, 61.0, 12.0, "grpc-default-worker-ELG-N-N ×2 9.0 s",
        "kernel 4.0 s of 40.0 s CPU; context switches 900,000 voluntary, 2,000 involuntary; page faults 10 minor, 0 major",
        "ran 250 times, 2.5 s CPU",
        "deoptimizations 90",
        "CPU speed 0.98x of the run's start (slowest 0.90x, 120 samples), steal 0.2 s");
    assertThat(new Report().churn(List.of(phase)).toString())
        .contains("the machine: CPU speed 0.98x of the run's start (slowest 0.90x, 120 samples), steal 0.2 s")
        .contains("Sluice 40.0 s CPU (grpc-default-worker-ELG-N-N ×2 9.0 s; kernel 4.0 s of 40.0 s CPU; context switches 900,000")
        .contains("its publisher ran 250 times, 2.5 s CPU for the 240 versions the proxies saw");
  }
}
