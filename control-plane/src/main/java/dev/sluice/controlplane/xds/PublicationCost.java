package dev.sluice.controlplane.xds;

import dev.sluice.model.ModelRoute;
import dev.sluice.translate.ProxyGroup;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guard against a publisher that spins: the wall time of each publication (on the publisher's
 * ticker) and the CPU time of the thread that ran it go to {@link XdsMetrics}, and a publication that
 * took longer than {@code sluice.xds.slow-publication} is logged as a WARN that names it, with what the
 * rest of the process did meanwhile ({@link ProcessWork}: all threads' CPU, collection pauses, JIT
 * compilation, the busiest Java threads by kind; and the CPU the container's limit or the host denied
 * it, {@link CpuSupply}), so that a publisher kept waiting by a busy process or a starved machine is
 * told from one that spun, and the busy part of the process is named.
 *
 * <p>Confined to the publisher thread: the CPU time read is the current thread's.
 */
final class PublicationCost {
  private static final Logger log = LoggerFactory.getLogger(PublicationCost.class);
  /** The most route keys a WARN names; the rest are counted. */
  static final int NAMED_ROUTES = 10;

  private final LongSupplier nanoTime;
  private final LongSupplier threadCpuNanos;
  private final Supplier<ProcessWork> process;
  private final Duration slow;
  private final XdsMetrics metrics;

  /** Where a publication started, in wall and CPU nanoseconds (CPU -1 when unknown), and the process's work then. */
  record Start(long wallNanos, long cpuNanos, ProcessWork process) {}

  /**
   * @param nanoTime the publisher's monotonic ticker
   * @param threadCpuNanos the current thread's CPU time, -1 when unknown; {@link #currentThreadCpu} in production
   * @param process the whole process's work so far; {@link ProcessWork#now} in production
   * @param slow a publication longer than this (wall time) is logged as a WARN
   */
  PublicationCost(LongSupplier nanoTime, LongSupplier threadCpuNanos, Supplier<ProcessWork> process, Duration slow,
      XdsMetrics metrics) {
    this.nanoTime = nanoTime;
    this.threadCpuNanos = threadCpuNanos;
    this.process = process;
    this.slow = slow;
    this.metrics = metrics;
  }

  /** The current thread's CPU time in nanoseconds, from the JVM; -1 where the JVM does not measure it. */
  static long currentThreadCpu() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : -1;
  }

  Start start() {
    ProcessWork work = process.get(); // read first, so that reading it is not part of the publication's figures
    return new Start(nanoTime.getAsLong(), threadCpuNanos.getAsLong(), work);
  }

  /** The publication begun at {@code start} ended: record it, and name it ({@code what}) in a WARN when slow. */
  void end(Start start, Supplier<String> what) {
    Duration wall = Duration.ofNanos(nanoTime.getAsLong() - start.wallNanos());
    long cpuEnd = threadCpuNanos.getAsLong();
    Duration cpu = start.cpuNanos() < 0 || cpuEnd < 0 ? null : Duration.ofNanos(cpuEnd - start.cpuNanos());
    metrics.publication(wall, cpu);
    if (wall.compareTo(slow) > 0) {
      log.warn("slow publication: {} ms, {} ms CPU (sluice.xds.slow-publication is {}): {}; {}", wall.toMillis(),
          cpu == null ? "?" : cpu.toMillis(), slow, what.get(), process.get().since(start.process()));
    }
  }

  /**
   * Names a publication: its groups, how many routes it carried and, when the routes of the one
   * before are known, which routes changed since (added, changed or removed; the first
   * {@value #NAMED_ROUTES} by key).
   */
  static String describe(Collection<ProxyGroup> groups, List<ModelRoute> before, List<ModelRoute> after) {
    StringBuilder out = new StringBuilder();
    out.append(groups.size()).append(groups.size() == 1 ? " group " : " groups ").append(groups);
    out.append(", routes: ").append(after == null ? "?" : after.size());
    if (before != null && after != null) {
      Map<String, ModelRoute> was = before.stream().collect(Collectors.toMap(ModelRoute::key, Function.identity(), (a, b) -> b));
      Map<String, ModelRoute> is = after.stream().collect(Collectors.toMap(ModelRoute::key, Function.identity(), (a, b) -> b));
      TreeSet<String> changed = new TreeSet<>();
      is.forEach((key, route) -> {
        if (!Objects.equals(was.get(key), route)) {
          changed.add(key);
        }
      });
      was.keySet().stream().filter(key -> !is.containsKey(key)).forEach(changed::add);
      out.append(", changed since the last publication: ").append(changed.size());
      if (!changed.isEmpty()) {
        out.append(" (").append(String.join(", ", changed.stream().limit(NAMED_ROUTES).toList()));
        out.append(changed.size() > NAMED_ROUTES ? " and " + (changed.size() - NAMED_ROUTES) + " more)" : ")");
      }
    }
    return out.toString();
  }
}
