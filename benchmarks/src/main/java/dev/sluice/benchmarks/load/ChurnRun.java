package dev.sluice.benchmarks.load;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * B3 against Sluice: ten changes a second through the REST API while a fleet is connected, first
 * with every proxy reading, then with one in a hundred stalled. A change has reached a proxy when
 * the proxy holds its route version or a later one (changes coalesced by the debounce share a
 * publication); the server names each change's version from the same translation the publisher runs.
 */
final class ChurnRun {

  /**
   * One phase. Latencies are over every (change, reading proxy) pair, from the store's write.
   * {@code cpuSeconds} is the server's, {@code proxyCpuSeconds} this JVM's (the proxies'), both from
   * the first write until every proxy had the last change; {@code serverThreads} names the server
   * threads that used the most of it, {@code kernel} how much of it was the kernel's and how often
   * its threads switched out ({@link KernelShare}: a spin, a pile-up on locks and memory trouble
   * differ there), {@code publisher} how often Sluice's publisher ran and its CPU (against {@code
   * publications}, the versions the proxies saw: a slow publisher and proxies that skip versions
   * differ there; a publication is counted when it ends, so the last one may not be yet), and
   * {@code jvm} what its JVM's machinery did meanwhile ({@link JitEvents}: deoptimizations,
   * compilations, collection pauses); {@code machine}, whether the machine itself ran slower
   * meanwhile ({@link MachineSpeed}).
   */
  record Phase(String transport, int clients, int stalled, int changes, double seconds, Latencies latencies,
      int publications, double cpuSeconds, long heapBefore, long heapAfter, double wallSeconds,
      double proxyCpuSeconds, String serverThreads, String kernel, String publisher, String jvm, String machine) {

    double cpuPerPublicationMs() {
      return cpuSeconds * 1000 / publications;
    }
  }

  static List<Phase> run(Plan plan, String transport, MachineSpeed speed) throws Exception {
    List<Phase> phases = new ArrayList<>();
    try (ServerProcess s = ServerProcess.start("sluice", Workload.routesForKilobytes(5), plan.debounceMs());
        Fleet fleet = new Fleet(s.connector(plan.tls()), transport.equals("delta"))) {
      fleet.growTo(plan.churnClients());
      Thread.sleep(1_000);
      phases.add(phase(s, fleet, plan, transport, 0, 0, speed));
      int stalled = fleet.stallEvery(100);
      phases.add(phase(s, fleet, plan, transport, stalled, 10_000, speed));
    }
    return phases;
  }

  private static Phase phase(ServerProcess s, Fleet fleet, Plan plan, String transport, int stalled, int offset,
      MachineSpeed speed) throws Exception {
    List<SimulatedProxy> reading = fleet.proxies().stream().filter(p -> !p.stalled()).toList();
    reading.forEach(SimulatedProxy::recordVersions);
    long heapBefore = s.callLong("heap");
    long cpu = s.callLong("cpu");
    String threads = s.call("threads");
    KernelShare kernelBefore = KernelShare.decode(s.call("kernel"));
    String publisherBefore = s.call("publisher");
    s.call("jvm"); // counts from here
    speed.window();
    long proxyCpu = LoadServer.cpuNanos();
    long begin = System.nanoTime();
    String[] changes = s.call("churn 10 " + plan.churnSeconds() + " " + offset).split(" ");
    double seconds = (System.nanoTime() - begin) / 1e9;
    long[] at = new long[changes.length];
    String[] version = new String[changes.length];
    for (int k = 0; k < changes.length; k++) {
      String[] kv = changes[k].split(":");
      at[k] = Long.parseLong(kv[0]);
      version[k] = kv[1];
    }
    awaitLast(reading, version[version.length - 1]);
    double cpuSeconds = (s.callLong("cpu") - cpu) / 1e9;
    double proxyCpuSeconds = (LoadServer.cpuNanos() - proxyCpu) / 1e9;
    double wallSeconds = (System.nanoTime() - begin) / 1e9;
    String serverThreads = ThreadCpu.top(threads, s.call("threads"), 6);
    String kernel = KernelShare.decode(s.call("kernel")).since(kernelBefore);
    String publisher = publisher(publisherBefore, s.call("publisher"));
    String jvm = s.call("jvm");
    String machine = speed.window();
    long heapAfter = s.callLong("heap");
    long[] nanos = new long[changes.length * reading.size()];
    Set<String> published = new HashSet<>();
    int i = 0;
    for (SimulatedProxy p : reading) {
      Map<String, Long> seen = p.firstSeen();
      long earliest = Long.MAX_VALUE; // the first time this proxy held change k or a later one
      for (int k = changes.length - 1; k >= 0; k--) {
        Long t = seen.get(version[k]);
        if (t != null) {
          earliest = Math.min(earliest, t);
          published.add(version[k]);
        }
        nanos[i++] = earliest - at[k];
      }
      p.forgetVersions();
    }
    Phase phase = new Phase(transport, reading.size() + stalled, stalled, changes.length, seconds,
        Latencies.ofNanos(nanos).minus(plan.debounceMs()), published.size(), cpuSeconds, heapBefore, heapAfter,
        wallSeconds, proxyCpuSeconds, serverThreads, kernel, publisher, jvm, machine);
    System.err.println("  " + phase);
    return phase;
  }

  /** The publisher's runs between two {@code publisher} answers: {@code "ran 231 times, 2.3 s CPU"}. */
  static String publisher(String before, String after) {
    String[] b = before.trim().split(" ");
    String[] a = after.trim().split(" ");
    if (b.length != 2 || a.length != 2 || b[0].startsWith("-") || a[0].startsWith("-")) {
      return "not counted";
    }
    return String.format("ran %d times, %.1f s CPU", Long.parseLong(a[0]) - Long.parseLong(b[0]),
        (Long.parseLong(a[1]) - Long.parseLong(b[1])) / 1e9);
  }

  private static void awaitLast(List<SimulatedProxy> reading, String last) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    for (SimulatedProxy p : reading) {
      while (!p.firstSeen().containsKey(last)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("a proxy never received the last change of the churn");
        }
        Thread.sleep(10);
      }
    }
  }

  private ChurnRun() {}
}
