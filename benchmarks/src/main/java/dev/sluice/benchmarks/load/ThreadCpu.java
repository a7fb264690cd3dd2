package dev.sluice.benchmarks.load;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * CPU time of a process's threads, grouped by name with digits folded ({@code grpc-default-executor-12}
 * and {@code -7} count together), from {@code /proc/<pid>/task}: unlike {@code ThreadMXBean} it sees the
 * JIT compiler and GC threads. For telling which threads a phase's CPU went to. Linux only; empty elsewhere.
 */
final class ThreadCpu {
  private ThreadCpu() {}

  /**
   * This process's threads now: folded name to CPU seconds and how many threads have the name, as one
   * line ({@code name=seconds:threads;...}).
   */
  static String snapshot() {
    Map<String, Double> byName = new TreeMap<>();
    Map<String, Integer> count = new HashMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path task : tasks) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          int open = stat.indexOf('(');
          int close = stat.lastIndexOf(')');
          String name = stat.substring(open + 1, close).replaceAll("\\d+", "N").replace(' ', '_').replace(';', '_').replace('=', '_');
          KernelShare times = KernelShare.fromStat(stat);
          double seconds = (times.userTicks() + times.kernelTicks()) / KernelShare.TICKS;
          byName.merge(name, seconds, Double::sum);
          count.merge(name, 1, Integer::sum);
        } catch (IOException | RuntimeException e) {
          // the thread ended while we looked
        }
      }
    } catch (IOException e) {
      return "";
    }
    StringJoiner out = new StringJoiner(";");
    byName.forEach((name, seconds) -> out.add(name + "=" + seconds + ":" + count.get(name)));
    return out.toString();
  }

  /**
   * The threads that used the most CPU between two snapshots, as {@code name ×threads 12.3 s, ...}
   * (threads: how many have the name at the second snapshot; a name's threads that ended in between
   * take their CPU with them, so the figures are a lower bound).
   */
  static String top(String before, String after, int n) {
    Map<String, double[]> then = parse(before);
    Map<String, double[]> now = parse(after);
    Map<String, Double> delta = new HashMap<>();
    now.forEach((name, v) -> delta.put(name, v[0] - then.getOrDefault(name, new double[2])[0]));
    StringJoiner out = new StringJoiner(", ");
    delta.entrySet().stream().filter(e -> e.getValue() >= 0.05)
        .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())).limit(n)
        .forEach(e -> out.add(String.format("%s ×%d %.1f s", e.getKey(), (int) now.get(e.getKey())[1], e.getValue())));
    return out.toString();
  }

  private static Map<String, double[]> parse(String line) {
    Map<String, double[]> out = new HashMap<>();
    for (String entry : line.split(";")) {
      int eq = entry.lastIndexOf('=');
      int colon = entry.lastIndexOf(':');
      if (eq > 0 && colon > eq) {
        out.put(entry.substring(0, eq), new double[] {Double.parseDouble(entry.substring(eq + 1, colon)),
            Double.parseDouble(entry.substring(colon + 1))});
      }
    }
    return out;
  }
}
