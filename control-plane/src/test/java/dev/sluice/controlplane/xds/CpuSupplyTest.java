package dev.sluice.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where the CPU the process was denied is read from: cgroup v2 or v1, and {@code /proc/stat}. */
class CpuSupplyTest {
  static final String PROC_STAT = "cpu  2352926 463 350126 6683141 6208 0 64298 23192 0 0\n";
  final Map<String, Integer> reads = new HashMap<>();

  private CpuSupply read(Map<String, String> files) {
    return CpuSupply.reader(path -> {
      reads.merge(path.toString(), 1, Integer::sum);
      return Optional.ofNullable(files.get(path.toString()));
    }).get();
  }

  @Test
  void cgroupV2_throttledMicrosFromTheProcesssGroup_andStealInMillis() {
    CpuSupply s = read(Map.of("/proc/self/cgroup", "0::/kubepods/pod1/sluice\n",
        "/sys/fs/cgroup/kubepods/pod1/sluice/cpu.stat", "usage_usec 900\nnr_throttled 12\nthrottled_usec 4200000\n",
        "/proc/stat", PROC_STAT));
    assertThat(s).isEqualTo(new CpuSupply(4_200_000, 231_920));
  }

  @Test
  void cgroupV1_throttledNanosOfTheCpuController_whenTheV2GroupHasNone() {
    CpuSupply s = read(Map.of("/proc/self/cgroup", "4:memory:/x\n2:cpu,cpuacct:/docker/abc\n0::/\n",
        "/sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.stat", "nr_periods 5\nnr_throttled 1\nthrottled_time 7000000\n"));
    assertThat(s).isEqualTo(new CpuSupply(7_000, -1));
  }

  /** A container without a cgroup namespace of its own sees the host's path but has its group at the root. */
  @Test
  void aContainerWithoutItsOwnCgroupNamespace_findsItsGroupAtTheRoot() {
    assertThat(read(Map.of("/proc/self/cgroup", "0::/kubepods/burstable/pod1/c1\n",
        "/sys/fs/cgroup/cpu.stat", "usage_usec 5\nthrottled_usec 300\n"))).isEqualTo(new CpuSupply(300, -1));
    assertThat(read(Map.of("/proc/self/cgroup", "3:cpu,cpuacct:/docker/abc\n",
        "/sys/fs/cgroup/cpu,cpuacct/cpu.stat", "throttled_time 9000\n"))).isEqualTo(new CpuSupply(9, -1));
  }

  @Test
  void theGroupIsFoundOnce() {
    Map<String, String> files = Map.of("/proc/self/cgroup", "0::/a\n", "/sys/fs/cgroup/a/cpu.stat", "throttled_usec 1\n");
    var reader = CpuSupply.reader(path -> {
      reads.merge(path.toString(), 1, Integer::sum);
      return Optional.ofNullable(files.get(path.toString()));
    });
    reader.get();
    reader.get();
    assertThat(reads.get("/proc/self/cgroup")).isEqualTo(1);
    assertThat(reads.get("/sys/fs/cgroup/a/cpu.stat")).as("found, then read each time").isEqualTo(3);
  }

  @Test
  void aStatWithoutTheStealColumn_givesNoSteal() {
    assertThat(read(Map.of("/proc/stat", "cpu  1 2 3 4\n")).stolenMillis()).isEqualTo(-1);
  }

  @Test
  void nothingToRead_isUnknown_andSaysNothing() {
    CpuSupply s = read(Map.of());
    assertThat(s).isEqualTo(CpuSupply.UNKNOWN);
    assertThat(s.since(CpuSupply.UNKNOWN)).isEmpty();
  }

  @Test
  void onlyWhatBothEndsKnow_isSaid() {
    assertThat(new CpuSupply(-1, 1_300).since(new CpuSupply(-1, 1_000)))
        .isEqualTo("the machine meanwhile: 300 ms of CPU taken by the hypervisor (steal, all CPUs)");
    assertThat(new CpuSupply(9_000, 5).since(new CpuSupply(1_000, -1)))
        .isEqualTo("the machine meanwhile: 8 ms throttled by the container's CPU limit (summed over CPUs)");
  }

  @Test
  void onLinux_thisMachinesStealIsKnown() {
    if (Path.of("/proc/stat").toFile().canRead()) {
      assertThat(CpuSupply.now().stolenMillis()).isNotNegative();
    }
  }
}
