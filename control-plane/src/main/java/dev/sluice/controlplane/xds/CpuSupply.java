package dev.sluice.controlplane.xds;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * The CPU the process was denied up to a moment, from outside the JVM: the time its container was
 * throttled by its CPU limit (the cgroup's {@code cpu.stat}: {@code throttled_usec} in cgroup v2,
 * {@code throttled_time} in nanoseconds in v1) and the time the hypervisor gave this machine's vCPUs
 * to other machines ({@code steal} in {@code /proc/stat}, all CPUs together). Each is -1 where the
 * machine does not say. Two of them, around a slow publication, tell a control plane starved by its
 * CPU limit or a busy host from one that did too much work: in both of the former every thread
 * waits, while the process's own CPU time shows nothing unusual.
 */
record CpuSupply(long throttledMicros, long stolenMillis) {
  static final CpuSupply UNKNOWN = new CpuSupply(-1, -1);
  /** USER_HZ: clock ticks per second in {@code /proc/stat}, 100 on Linux. */
  private static final long TICKS_PER_SECOND = 100;

  /** This machine's figures now. */
  static CpuSupply now() {
    return read(path -> {
      try {
        return Optional.of(Files.readString(path));
      } catch (IOException | RuntimeException e) {
        return Optional.empty();
      }
    });
  }

  /** The figures from these files ({@code files} reads one, empty when it is missing or unreadable). */
  static CpuSupply read(Function<Path, Optional<String>> files) {
    long throttled = files.apply(Path.of("/proc/self/cgroup")).map(cgroups -> throttledMicros(cgroups, files)).orElse(-1L);
    long stolen = files.apply(Path.of("/proc/stat")).map(CpuSupply::stolenMillis).orElse(-1L);
    return new CpuSupply(throttled, stolen);
  }

  /**
   * What {@code since} adds to a log line: the throttling and the steal between {@code start} and
   * this; empty when neither is known.
   */
  String since(CpuSupply start) {
    String throttled = throttledMicros < 0 || start.throttledMicros < 0 ? null
        : (throttledMicros - start.throttledMicros) / 1000 + " ms throttled by the container's CPU limit";
    String stolen = stolenMillis < 0 || start.stolenMillis < 0 ? null
        : (stolenMillis - start.stolenMillis) + " ms of CPU taken by the hypervisor (steal, all CPUs)";
    if (throttled == null && stolen == null) {
      return "";
    }
    return "the machine meanwhile: " + (throttled == null ? stolen : stolen == null ? throttled : throttled + ", " + stolen);
  }

  /** The process's cgroup's throttled time: the v2 group ("0::path") first, else v1's cpu controller. */
  private static long throttledMicros(String cgroups, Function<Path, Optional<String>> files) {
    for (String line : cgroups.split("\n")) {
      String[] f = line.split(":", 3);
      if (f.length == 3 && f[0].equals("0") && f[1].isEmpty()) {
        long v2 = files.apply(Path.of("/sys/fs/cgroup" + f[2], "cpu.stat")).map(s -> field(s, "throttled_usec")).orElse(-1L);
        if (v2 >= 0) {
          return v2;
        }
      }
    }
    for (String line : cgroups.split("\n")) {
      String[] f = line.split(":", 3);
      if (f.length == 3 && java.util.Arrays.asList(f[1].split(",")).contains("cpu")) {
        long v1 = files.apply(Path.of("/sys/fs/cgroup/" + f[1] + f[2], "cpu.stat")).map(s -> field(s, "throttled_time"))
            .orElse(-1L);
        return v1 < 0 ? -1 : v1 / 1000;
      }
    }
    return -1;
  }

  /** A {@code name value} line's value, -1 when there is none. */
  private static long field(String stat, String name) {
    for (String line : stat.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length == 2 && f[0].equals(name)) {
        try {
          return Long.parseLong(f[1]);
        } catch (NumberFormatException e) {
          return -1;
        }
      }
    }
    return -1;
  }

  /** The steal column (the eighth number) of {@code /proc/stat}'s "cpu" line, in milliseconds. */
  private static long stolenMillis(String stat) {
    String first = stat.lines().findFirst().orElse("");
    String[] f = first.trim().split("\\s+");
    if (f.length < 9 || !f[0].equals("cpu")) {
      return -1;
    }
    try {
      return Long.parseLong(f[8]) * 1000 / TICKS_PER_SECOND;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
