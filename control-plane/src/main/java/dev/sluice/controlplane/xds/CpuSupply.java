package dev.sluice.controlplane.xds;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The CPU the process was denied up to a moment, from outside the JVM: the time its container was
 * throttled by its CPU limit (the cgroup's {@code cpu.stat}: {@code throttled_usec} in cgroup v2,
 * {@code throttled_time} in nanoseconds in v1) and the time the hypervisor gave this machine's vCPUs
 * to other machines ({@code steal} in {@code /proc/stat}, all CPUs together). Each is -1 where the
 * machine does not say. Two of them, around a slow publication, tell a control plane starved by its
 * CPU limit or a busy host from one that did too much work: in both of the former every thread
 * waits, while the process's own CPU time shows nothing unusual.
 *
 * <p>The cgroup's {@code cpu.stat} is found once: under the process's own group as
 * {@code /proc/self/cgroup} names it, else at the hierarchy's root, which is where a container
 * without a cgroup namespace of its own has its group mounted.
 */
public record CpuSupply(long throttledMicros, long stolenMillis) {
  static final CpuSupply UNKNOWN = new CpuSupply(-1, -1);
  /** USER_HZ: clock ticks per second in {@code /proc/stat}, 100 on Linux. */
  private static final long TICKS_PER_SECOND = 100;
  static final Path PROC_STAT = Path.of("/proc/stat");
  private static final Supplier<CpuSupply> MACHINE = reader(CpuSupply::readFile);

  /** This machine's figures now (the load tool reads the steal from here too). */
  public static CpuSupply now() {
    return MACHINE.get();
  }

  /**
   * A reader of these files ({@code files} reads one, empty when it is missing or unreadable; only
   * the first line of {@code /proc/stat} is asked for). It finds the cgroup's {@code cpu.stat} on
   * its first read and keeps to it.
   */
  static Supplier<CpuSupply> reader(Function<Path, Optional<String>> files) {
    return new Supplier<>() {
      private volatile Throttling throttling;

      @Override
      public CpuSupply get() {
        Throttling t = throttling;
        if (t == null) {
          t = Throttling.find(files);
          throttling = t;
        }
        long stolen = files.apply(PROC_STAT).map(CpuSupply::stolenMillis).orElse(-1L);
        return new CpuSupply(t.micros(files), stolen);
      }
    };
  }

  /**
   * What {@code since} adds to a log line: the throttling and the steal between {@code start} and
   * this; empty when neither is known.
   */
  String since(CpuSupply start) {
    String throttled = throttledMicros < 0 || start.throttledMicros < 0 ? null
        : (throttledMicros - start.throttledMicros) / 1000 + " ms throttled by the container's CPU limit (summed over CPUs)";
    String stolen = stolenMillis < 0 || start.stolenMillis < 0 ? null
        : (stolenMillis - start.stolenMillis) + " ms of CPU taken by the hypervisor (steal, all CPUs)";
    if (throttled == null && stolen == null) {
      return "";
    }
    return "the machine meanwhile: " + (throttled == null ? stolen : stolen == null ? throttled : throttled + ", " + stolen);
  }

  /** Where the cgroup's throttled time is, and its unit: v2's {@code throttled_usec} or v1's {@code throttled_time} (ns). */
  private record Throttling(Path file, String field, long nanosPerUnit) {
    static final Throttling NONE = new Throttling(null, null, 0);

    long micros(Function<Path, Optional<String>> files) {
      if (file == null) {
        return -1;
      }
      long value = files.apply(file).map(stat -> statValue(stat, field)).orElse(-1L);
      return value < 0 ? -1 : value * nanosPerUnit / 1000;
    }

    /** The v2 group ("0::path") first, else v1's cpu controller; each under the group's path, then at the root. */
    static Throttling find(Function<Path, Optional<String>> files) {
      String cgroups = files.apply(Path.of("/proc/self/cgroup")).orElse("");
      for (String line : cgroups.split("\n")) {
        String[] f = line.split(":", 3);
        if (f.length == 3 && f[0].equals("0") && f[1].isEmpty()) {
          for (Path candidate : List.of(Path.of("/sys/fs/cgroup" + f[2], "cpu.stat"), Path.of("/sys/fs/cgroup", "cpu.stat"))) {
            if (files.apply(candidate).map(stat -> statValue(stat, "throttled_usec")).orElse(-1L) >= 0) {
              return new Throttling(candidate, "throttled_usec", 1000);
            }
          }
        }
      }
      for (String line : cgroups.split("\n")) {
        String[] f = line.split(":", 3);
        if (f.length == 3 && List.of(f[1].split(",")).contains("cpu")) {
          for (Path candidate : List.of(Path.of("/sys/fs/cgroup/" + f[1] + f[2], "cpu.stat"),
              Path.of("/sys/fs/cgroup/" + f[1], "cpu.stat"))) {
            if (files.apply(candidate).map(stat -> statValue(stat, "throttled_time")).orElse(-1L) >= 0) {
              return new Throttling(candidate, "throttled_time", 1);
            }
          }
        }
      }
      return NONE;
    }
  }

  /** A file's text, or only the first line of {@code /proc/stat}; empty when it cannot be read. */
  private static Optional<String> readFile(Path path) {
    try {
      if (path.equals(PROC_STAT)) {
        try (BufferedReader in = Files.newBufferedReader(path)) {
          return Optional.ofNullable(in.readLine());
        }
      }
      return Optional.of(Files.readString(path));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** A {@code name value} line's value, -1 when there is none. */
  private static long statValue(String stat, String name) {
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
