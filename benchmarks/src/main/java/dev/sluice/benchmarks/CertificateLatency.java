package dev.sluice.benchmarks;

import dev.sluice.controlplane.ca.CaProperties;
import dev.sluice.controlplane.ca.CaRoot;
import dev.sluice.controlplane.ca.CertificateAuthority;
import dev.sluice.controlplane.ca.WorkloadIdentity;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * B5's second half: issuance latency at half the rate one thread sustains. Open loop: certificate
 * k is due at {@code start + k / rate}, and its latency runs from when it was due, so a slow issue
 * delays the ones behind it and that shows. Run on one core, as the throughput benchmark is.
 *
 * <p>The throughput phase also reports certificates per CPU-second, of the issuing thread and of the
 * whole JVM (collector and compiler too): on cores shared with other work the wall-clock rate says
 * how much of the core the JVM got, the CPU rates what one core's worth of time issues. Where the
 * warm-up got little of the core, the JVM's figure still carries the compiler's work.
 *
 * <p>Arguments: seconds of warm-up, of throughput measurement and of the fixed-rate run.
 */
public final class CertificateLatency {
  public static void main(String[] args) {
    int warmUp = Integer.parseInt(args[0]);
    int measure = Integer.parseInt(args[1]);
    int run = Integer.parseInt(args[2]);
    CaProperties properties = CaProperties.defaults();
    Clock clock = Clock.systemUTC();
    CertificateAuthority ca = new CertificateAuthority(CaRoot.generate(properties, clock), properties, clock);
    WorkloadIdentity identity = new WorkloadIdentity("ml", "fraud-scorer");

    issueFor(ca, identity, warmUp);
    ThreadMXBean thread = ManagementFactory.getThreadMXBean();
    var jvm = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long threadCpu = thread.getCurrentThreadCpuTime();
    long jvmCpu = jvm.getProcessCpuTime();
    long issued = issueFor(ca, identity, measure);
    double perThreadCpuSecond = issued * 1e9 / (thread.getCurrentThreadCpuTime() - threadCpu);
    double perJvmCpuSecond = issued * 1e9 / (jvm.getProcessCpuTime() - jvmCpu);
    double perSecond = issued / (double) measure;
    double rate = perSecond / 2;
    int n = (int) (rate * run);
    long[] latency = new long[n];
    long start = System.nanoTime();
    for (int k = 0; k < n; k++) {
      long due = start + (long) (k * 1e9 / rate);
      LockSupport.parkNanos(due - System.nanoTime());
      ca.issue(identity);
      latency[k] = System.nanoTime() - due;
    }
    Arrays.sort(latency);
    System.out.printf("B5 latency: %.0f certificates/s sustained on one thread (per CPU-second: %.0f of the thread, %.0f of "
            + "the JVM); at half that (%.0f/s) for %d s: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d certificates, %s %s)%n",
        perSecond, perThreadCpuSecond, perJvmCpuSecond, rate, run,
        latency[n / 2] / 1e6, latency[(int) Math.ceil(n * 0.99) - 1] / 1e6, latency[n - 1] / 1e6, n,
        System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"));
  }

  private static long issueFor(CertificateAuthority ca, WorkloadIdentity identity, int seconds) {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    long n = 0;
    while (System.nanoTime() < end) {
      ca.issue(identity);
      n++;
    }
    return n;
  }

  private CertificateLatency() {}
}
