package dev.sluice.benchmarks.load;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingStream;

/**
 * What the JVM's own machinery did in a window of a load run, counted in the server's JVM from its
 * flight recorder's events: deoptimizations (by method, line and reason, so a deoptimization storm
 * names its code), compilations and their time, and collection pauses. A phase whose CPU went to the
 * JVM rather than to Sluice's threads is told apart by these, where thread CPU alone shows only a busy
 * compiler or busy application threads.
 *
 * <p>The counts are of the events since the previous {@link #window()}, or since it was made.
 */
final class JitEvents implements AutoCloseable {
  private final RecordingStream stream = new RecordingStream();
  private final AtomicLong compilations = new AtomicLong();
  private final AtomicLong compilingNanos = new AtomicLong();
  private final AtomicLong pauses = new AtomicLong();
  private final AtomicLong pauseNanos = new AtomicLong();
  private final Map<String, Long> deoptimizations = new HashMap<>();
  private final Map<String, Long> compilingByPackage = new HashMap<>();

  JitEvents() {
    stream.enable("jdk.Deoptimization").withoutStackTrace();
    stream.enable("jdk.Compilation").withThreshold(Duration.ZERO);
    stream.enable("jdk.GarbageCollection");
    stream.onEvent("jdk.Deoptimization", this::deoptimized);
    stream.onEvent("jdk.Compilation", e -> {
      compilations.incrementAndGet();
      compilingNanos.addAndGet(e.getDuration().toNanos());
      RecordedMethod m = e.getValue("method");
      synchronized (compilingByPackage) {
        compilingByPackage.merge(m == null ? "?" : codeBase(m.getType().getName()), e.getDuration().toNanos(), Long::sum);
      }
    });
    stream.onEvent("jdk.GarbageCollection", e -> {
      pauses.incrementAndGet();
      pauseNanos.addAndGet(e.getDuration("sumOfPauses").toNanos());
    });
    stream.startAsync();
  }

  private void deoptimized(RecordedEvent e) {
    RecordedMethod m = e.getValue("method");
    String where = m == null ? "?" : m.getType().getName() + "." + m.getName();
    String key = where + ":" + e.getInt("lineNumber") + " " + e.getString("reason") + "/" + e.getString("action");
    synchronized (deoptimizations) {
      deoptimizations.merge(key, 1L, Long::sum);
    }
  }

  /**
   * Where a class's code comes from, for counting compilations: its package's first two parts
   * ({@code org.springframework}, {@code java.util}, {@code dev.sluice}), grpc-java's shaded Netty
   * as {@code io.netty}.
   */
  static String codeBase(String className) {
    String name = className.startsWith(SHADED) ? className.substring(SHADED.length()) : className;
    int first = name.indexOf('.');
    int second = first < 0 ? -1 : name.indexOf('.', first + 1);
    return second < 0 ? name : name.substring(0, second);
  }

  private static final String SHADED = "io.grpc.netty.shaded.";

  /**
   * The events since the last call, as one line: {@code deoptimizations N (most: method:line
   * reason/action ×n); compilations N, S s (most time: code base S s, ...); collection pauses N, S s}.
   */
  String window() {
    Map<String, Long> deopts;
    synchronized (deoptimizations) {
      deopts = new HashMap<>(deoptimizations);
      deoptimizations.clear();
    }
    Map<String, Long> byPackage;
    synchronized (compilingByPackage) {
      byPackage = new HashMap<>(compilingByPackage);
      compilingByPackage.clear();
    }
    long total = deopts.values().stream().mapToLong(Long::longValue).sum();
    String most = deopts.entrySet().stream().max(Map.Entry.comparingByValue(Comparator.naturalOrder()))
        .map(d -> " (most: " + d.getKey() + " ×" + d.getValue() + ")").orElse("");
    return String.format("deoptimizations %d%s; compilations %d, %.1f s%s; collection pauses %d, %.2f s", total, most,
        compilations.getAndSet(0), compilingNanos.getAndSet(0) / 1e9, mostTime(byPackage), pauses.getAndSet(0),
        pauseNanos.getAndSet(0) / 1e9);
  }

  /** The three code bases the compilers spent the most time on: {@code " (most time: a 1.2 s, b 0.4 s, c 0.1 s)"}. */
  static String mostTime(Map<String, Long> nanosByCodeBase) {
    if (nanosByCodeBase.isEmpty()) {
      return "";
    }
    return nanosByCodeBase.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
        .limit(3).map(e -> String.format("%s %.1f s", e.getKey(), e.getValue() / 1e9))
        .collect(java.util.stream.Collectors.joining(", ", " (most time: ", ")"));
  }

  @Override
  public void close() {
    stream.close();
  }
}
