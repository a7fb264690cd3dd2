package dev.sluice.benchmarks.load;

import dev.sluice.controlplane.xds.CpuSupply;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Whether the machine itself slowed down during a phase, rather than a server doing more work: a fixed
 * piece of arithmetic over a 16 KB table, timed in its thread's CPU time every half second, against
 * the same piece timed when the run started; and the CPU time the hypervisor gave to other machines
 * ({@code steal}, read by the control plane's own {@link CpuSupply}). A CPU slowed by a busy
 * neighbour on the same core or a lower clock makes every process's CPU time per unit of work grow,
 * the probe's included, with no steal; a hypervisor that takes the vCPU away shows as steal, outside
 * any process's CPU time. The table fits the first-level cache, so what the other threads leave in
 * the caches does not move the probe (a 4 MB table read 8x slower after half a second of other work
 * than when timed back to back).
 *
 * <p>For reading B3: its one bad phase used seven to ten times the usual CPU for the same writes and
 * publications, which is what a JVM doing ten times the work and a CPU running ten times slower
 * would both look like (benchmarks/RESULTS.md, "B3, second run").
 */
final class MachineSpeed implements AutoCloseable {
  private static final int WORDS = 1 << 12;
  private static final int STEPS = 200_000;
  private static final int WARM_UPS = 3_000;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final int[] memory = new int[WORDS];
  private final long baselineNanos;
  private final List<Long> samples = new ArrayList<>(); // guarded by this
  private ScheduledExecutorService scheduler;
  private long stolenMillisAtWindow;
  private volatile int sink;

  /**
   * Calibrates on the calling thread, about a second and a half: the piece runs {@value #WARM_UPS}
   * times first, so that it is timed as the C2 compiler leaves it (after a hundred runs it was still
   * the C1 compiler's code, 14 % slower).
   */
  MachineSpeed() {
    for (int i = 0; i < WORDS; i++) {
      memory[i] = i * 0x9E3779B9;
    }
    for (int i = 0; i < WARM_UPS; i++) {
      unitNanos();
    }
    long[] calibration = new long[21];
    for (int i = 0; i < calibration.length; i++) {
      calibration[i] = unitNanos();
    }
    Arrays.sort(calibration);
    this.baselineNanos = calibration[calibration.length / 2];
    this.stolenMillisAtWindow = CpuSupply.now().stolenMillis();
  }

  /** Probes every half second on {@code scheduler}, which {@link #close} shuts down. */
  MachineSpeed start(ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
    scheduler.scheduleWithFixedDelay(this::sample, 500, 500, TimeUnit.MILLISECONDS);
    return this;
  }

  /**
   * The probe since the last window, as {@code CPU speed 1.00x of the run's start (slowest 0.80x),
   * steal 0.3 s}: the median and the slowest sample, each as baseline time over sample time.
   */
  synchronized String window() {
    long[] nanos = samples.stream().mapToLong(Long::longValue).toArray();
    samples.clear();
    long steal = CpuSupply.now().stolenMillis();
    double stealSeconds = steal < 0 || stolenMillisAtWindow < 0 ? -1 : (steal - stolenMillisAtWindow) / 1000.0;
    String out = describe(baselineNanos, nanos, stealSeconds);
    stolenMillisAtWindow = steal;
    return out;
  }

  static String describe(long baselineNanos, long[] sampleNanos, double stealSeconds) {
    String steal = stealSeconds < 0 ? "steal unknown" : String.format("steal %.1f s", stealSeconds);
    if (sampleNanos.length == 0) {
      return "CPU speed not sampled, " + steal;
    }
    long[] sorted = sampleNanos.clone();
    Arrays.sort(sorted);
    return String.format("CPU speed %.2fx of the run's start (slowest %.2fx, %d samples), %s",
        (double) baselineNanos / sorted[sorted.length / 2], (double) baselineNanos / sorted[sorted.length - 1],
        sorted.length, steal);
  }

  /** One probe, now, on the calling thread. */
  void sample() {
    long nanos = unitNanos();
    synchronized (this) {
      samples.add(nanos);
    }
  }

  /** The fixed piece of work: dependent loads over the table and a little arithmetic; its thread's CPU nanoseconds. */
  private long unitNanos() {
    long start = THREADS.getCurrentThreadCpuTime();
    int x = 1;
    int sum = 0;
    for (int i = 0; i < STEPS; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      sum += memory[(x ^ sum) & (WORDS - 1)];
    }
    sink = sum;
    return THREADS.getCurrentThreadCpuTime() - start;
  }

  @Override
  public void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }
}
