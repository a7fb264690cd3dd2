package dev.sluice.controlplane.xds;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * What the whole JVM had done up to a moment: the CPU time of all its threads, the time spent in
 * collection pauses and the time its JIT compilers spent compiling, each -1 where the JVM does not
 * say, each Java thread's CPU time, and the CPU the machine denied the process ({@link CpuSupply}).
 * Two of them, taken around a slow publication, tell whether the process was busy elsewhere (other
 * threads, collections, compilation) while the publisher waited, which the publisher's own CPU time
 * cannot, and which threads those were; or whether the container's CPU limit or the host held
 * every thread back.
 */
record ProcessWork(long cpuNanos, long collectingMillis, long compilingMillis, ThreadTimes threads, CpuSupply supply) {
  static final ProcessWork UNKNOWN = new ProcessWork(-1, -1, -1);
  /** The most kinds of thread a report names. */
  static final int BUSIEST = 4;

  ProcessWork(long cpuNanos, long collectingMillis, long compilingMillis) {
    this(cpuNanos, collectingMillis, compilingMillis, ThreadTimes.UNKNOWN);
  }

  ProcessWork(long cpuNanos, long collectingMillis, long compilingMillis, ThreadTimes threads) {
    this(cpuNanos, collectingMillis, compilingMillis, threads, CpuSupply.UNKNOWN);
  }

  /** This JVM's figures now. */
  static ProcessWork now() {
    long cpu = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime() : -1;
    long collecting = -1;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      long t = gc.getCollectionTime();
      if (t >= 0) {
        collecting = Math.max(collecting, 0) + t;
      }
    }
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    long compiling = jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    return new ProcessWork(cpu, collecting, compiling, ThreadTimes.now(), CpuSupply.now());
  }

  /**
   * What was done between {@code start} and this, for a log line; "?" for what either does not know,
   * then the busiest Java threads, if any used a millisecond, then the CPU the machine denied, where
   * it says.
   */
  String since(ProcessWork start) {
    String busiest = threads.busiestSince(start.threads, BUSIEST);
    String denied = supply.since(start.supply);
    return "the process meanwhile: " + millis(start.cpuNanos, cpuNanos, 1_000_000) + " ms CPU on all threads, "
        + millis(start.collectingMillis, collectingMillis, 1) + " ms in collection pauses, "
        + millis(start.compilingMillis, compilingMillis, 1) + " ms compiling (JIT)"
        + (busiest.isEmpty() ? "" : "; busiest Java threads: " + busiest)
        + (denied.isEmpty() ? "" : "; " + denied);
  }

  private static String millis(long from, long to, long perMilli) {
    return from < 0 || to < 0 ? "?" : Long.toString((to - from) / perMilli);
  }
}
