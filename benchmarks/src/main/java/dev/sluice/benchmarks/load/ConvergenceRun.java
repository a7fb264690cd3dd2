package dev.sluice.benchmarks.load;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * B1 and B2 against one server: grow a fleet through the plan's sizes, and at each size measure
 * heap per connection and the convergence of the one change; then every proxy leaves (watches
 * must drain to zero) and all of them come back at once (the reconnect storm).
 */
final class ConvergenceRun {

  static final int WARM_UP_CHANGES = 30;

  /**
   * One fleet size: B1's latencies and B2's heap and connect time; {@code threads}, the server's
   * busiest threads over the measured changes ({@link ThreadCpu#top}) and what its JVM's machinery did
   * meanwhile ({@link JitEvents}); empty for floor (c), a Go process.
   */
  record Point(String transport, int configKb, String server, int clients, long configBytes, Latencies latencies,
      long heapPerConnection, long connectMs, double cpuMsPerChange, String threads) {}

  /** B2 at the largest size. */
  record Storm(String transport, int configKb, String server, int clients, long drainMs, long stormMs, long drainAgainMs) {}

  /** Adds each fleet size's point to {@code points} as soon as it is measured; returns the storm. */
  static Storm run(Plan plan, String server, String transport, int configKb, List<Point> points) throws Exception {
    boolean delta = transport.equals("delta");
    try (ServerProcess s = ServerProcess.start(server, Workload.routesForKilobytes(configKb), plan.debounceMs())) {
      long baseHeap = s.callLong("heap");
      double debounce = server.equals("sluice") ? plan.debounceMs() : 0;
      // One connector for both fleets: the storm's proxies are the same nodes, with the same tokens.
      Connector connector = s.connector(plan.tls() && server.equals("sluice"));
      Storm storm;
      try (Fleet fleet = new Fleet(connector, delta)) {
        for (int n : plan.clients()) {
          long connect = fleet.growTo(n);
          Thread.sleep(1_000); // the last ACKs land
          long perConnection = (s.callLong("heap") - baseHeap) / n;
          List<Latencies> runs = new ArrayList<>();
          // Not measured: the server's publication path runs compiled, as in a control plane that
          // has been up for a while, rather than interpreted in a JVM a few seconds old.
          for (int w = 0; w < (n == plan.clients().get(0) ? WARM_UP_CHANGES : plan.warmUps()); w++) {
            fleet.change(s::change);
          }
          Thread.sleep(500);
          boolean java = !server.equals("floor-c");
          String threads = java ? s.call("threads") : "";
          if (java) {
            s.call("jvm"); // counts from here
          }
          long cpu = s.callLong("cpu");
          for (int r = 0; r < plan.repeats(); r++) {
            runs.add(fleet.change(s::change).minus(debounce));
            Thread.sleep(500);
          }
          double cpuMs = (s.callLong("cpu") - cpu) / 1e6 / plan.repeats();
          String busiest = java ? ThreadCpu.top(threads, s.call("threads"), 4) + "; " + s.call("jvm") : "";
          runs.sort(Comparator.comparingDouble(Latencies::p99));
          Point p = new Point(transport, configKb, server, n, fleet.configBytes(), runs.get(runs.size() / 2),
              perConnection, connect / 1_000_000, cpuMs, busiest);
          System.err.println("  " + p);
          points.add(p);
        }
        fleet.close();
        long drain = s.awaitNoWatches(60);
        long stormNanos;
        try (Fleet again = new Fleet(connector, delta)) {
          stormNanos = again.growTo(plan.maxClients());
        }
        long drainAgain = s.awaitNoWatches(60);
        storm = new Storm(transport, configKb, server, plan.maxClients(), drain / 1_000_000, stormNanos / 1_000_000,
            drainAgain / 1_000_000);
        System.err.println("  " + storm);
      }
      return storm;
    }
  }

  private ConvergenceRun() {}
}
