package dev.sluice.controlplane.xds;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The CPU time each live Java thread had used at one moment, by thread id. Two of them tell which
 * threads used the CPU in between, by kind: names with their digits folded ({@code
 * grpc-default-executor-N}), so that a pile of executor threads shows as one line with its count.
 * Names are looked up only when that is asked, so taking one costs a CPU-time read per thread.
 *
 * <p>The JIT compiler's and the collector's threads are not Java threads and are not here;
 * {@link ProcessWork} counts their work.
 */
final class ThreadTimes {
  static final ThreadTimes UNKNOWN = new ThreadTimes(Map.of(), ids -> Map.of());
  private static final Pattern DIGITS = Pattern.compile("\\d+");

  private final Map<Long, Long> cpuNanos;
  private final Function<long[], Map<Long, String>> names;

  /**
   * @param cpuNanos each thread's CPU time so far, by id
   * @param names the names of these thread ids (those still alive)
   */
  ThreadTimes(Map<Long, Long> cpuNanos, Function<long[], Map<Long, String>> names) {
    this.cpuNanos = Map.copyOf(cpuNanos);
    this.names = names;
  }

  /** This JVM's threads now; {@link #UNKNOWN} where it does not measure threads' CPU time. */
  static ThreadTimes now() {
    if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)
        || !threads.isThreadCpuTimeSupported() || !threads.isThreadCpuTimeEnabled()) {
      return UNKNOWN;
    }
    long[] ids = threads.getAllThreadIds();
    long[] cpu = threads.getThreadCpuTime(ids);
    Map<Long, Long> byId = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      if (cpu[i] >= 0) {
        byId.put(ids[i], cpu[i]);
      }
    }
    return new ThreadTimes(byId, ThreadTimes::liveNames);
  }

  private static Map<Long, String> liveNames(long[] ids) {
    Map<Long, String> out = new HashMap<>();
    for (ThreadInfo info : ManagementFactory.getThreadMXBean().getThreadInfo(ids)) {
      if (info != null) {
        out.put(info.getThreadId(), info.getThreadName());
      }
    }
    return out;
  }

  /**
   * The kinds of thread that used the most CPU between {@code start} and this, at most {@code top}
   * of them, busiest first: {@code "grpc-default-executor-N ×120 8000 ms, sluice-publisher 800 ms"};
   * empty when none used a millisecond. A thread started in between counts all its time; one that
   * ended in between is not seen.
   */
  String busiestSince(ThreadTimes start, int top) {
    Map<Long, Long> used = new HashMap<>();
    cpuNanos.forEach((id, cpu) -> {
      long delta = cpu - start.cpuNanos.getOrDefault(id, 0L);
      if (delta > 0) {
        used.put(id, delta);
      }
    });
    if (used.isEmpty()) {
      return "";
    }
    Map<Long, String> named = names.apply(used.keySet().stream().mapToLong(Long::longValue).toArray());
    Map<String, long[]> byKind = new HashMap<>(); // kind -> {threads, nanos}
    used.forEach((id, nanos) -> {
      String name = named.get(id);
      long[] sum = byKind.computeIfAbsent(name == null ? "(ended)" : DIGITS.matcher(name).replaceAll("N"), k -> new long[2]);
      sum[0]++;
      sum[1] += nanos;
    });
    List<Map.Entry<String, long[]>> kinds = new ArrayList<>(byKind.entrySet());
    kinds.sort(Comparator.<Map.Entry<String, long[]>>comparingLong(e -> -e.getValue()[1]).thenComparing(Map.Entry::getKey));
    StringJoiner out = new StringJoiner(", ");
    for (Map.Entry<String, long[]> kind : kinds.subList(0, Math.min(top, kinds.size()))) {
      long millis = kind.getValue()[1] / 1_000_000;
      if (millis == 0) {
        break;
      }
      long threads = kind.getValue()[0];
      out.add(kind.getKey() + (threads > 1 ? " ×" + threads : "") + " " + millis + " ms");
    }
    return out.toString();
  }
}
