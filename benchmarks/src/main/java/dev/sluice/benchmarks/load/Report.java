package dev.sluice.benchmarks.load;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The load run as Markdown tables, for RESULTS.md. */
final class Report {
  private final StringBuilder out = new StringBuilder();

  Report header(Plan plan, String machine) {
    line("## Load run (%s plan)", plan.name());
    line("");
    line(machine);
    line("");
    if (plan.tls()) {
      line("In B1, B2 and B3, Sluice's proxies connect to its TLS xDS port, each with a bootstrap token of its");
      line("own, minted before the clock starts (`tls`); the floors' proxies, and the slice churn's, connect to");
      line("plaintext ports.");
      line("");
    }
    return this;
  }

  Report convergence(List<ConvergenceRun.Point> points, int debounceMs, int warmUps) {
    line("### B1: convergence of one change, with B6's floors");
    line("");
    line("Milliseconds from the change to each proxy's ACK of it. Sluice's clock starts when its store");
    line("commits the REST write, and its figures are after the %d ms debounce (subtracted); floor (a)", debounceMs);
    line("starts when it begins writing, floors (b) and (c) when `setSnapshot` / `SetSnapshot` is called.");
    line("CPU: the server process's CPU time per change (the change, the pushes, the ACKs; for Sluice also");
    line("the REST write). Floor (a): the least an ADS server can do; (b): java-control-plane; (c):");
    line("go-control-plane; all three serve Sluice's own translation of the same routes.");
    line("");
    line("Unmeasured changes before the measured ones: %d on each new server, %d at each later size.",
        ConvergenceRun.WARM_UP_CHANGES, warmUps);
    line("");
    line("| transport | config / proxy | clients | server | p50 | p99 | max (last ACK) | p99 ÷ floor (a) | p99 ÷ floor (b) | server CPU per change |");
    line("|---|---|---|---|---|---|---|---|---|---|");
    for (ConvergenceRun.Point p : points) {
      Optional<ConvergenceRun.Point> a = same(points, p, "floor-a");
      Optional<ConvergenceRun.Point> b = same(points, p, "floor-b");
      line("| %s | %.1f KB | %,d | %s | %.1f | %.1f | %.1f | %s | %s | %.0f ms |", p.transport(),
          p.configBytes() / 1024.0, p.clients(), p.server(), p.latencies().p50(), p.latencies().p99(),
          p.latencies().max(), ratio(p, a), ratio(p, b), p.cpuMsPerChange());
    }
    line("");
    threads(points);
    return floorC(points);
  }

  /** Which of the Java servers' threads the measured changes' CPU went to. */
  private void threads(List<ConvergenceRun.Point> points) {
    List<ConvergenceRun.Point> java = points.stream().filter(p -> !p.threads().isEmpty()).toList();
    if (java.isEmpty()) {
      return;
    }
    line("Where the Java servers' CPU went over the measured changes (per thread from `/proc`, digits");
    line("folded; `CN_CompilerThre` is the JIT compiler, `GN_*` and `GC_Thread` the collector), and the");
    line("JVM's deoptimizations, compilations and collection pauses (flight recorder events):");
    line("");
    for (ConvergenceRun.Point p : java) {
      line("- %s, %.1f KB, %,d, %s: %s", p.transport(), p.configBytes() / 1024.0, p.clients(), p.server(), p.threads());
    }
    line("");
  }

  /** Sluice over floor (c), go-control-plane, at each size both were measured at. */
  private Report floorC(List<ConvergenceRun.Point> points) {
    List<ConvergenceRun.Point> sluice = points.stream()
        .filter(p -> p.server().equals("sluice") && same(points, p, "floor-c").isPresent()).toList();
    if (sluice.isEmpty()) {
      return this;
    }
    line("Sluice ÷ floor (c), go-control-plane: below 1 is Sluice ahead. Memory per connection: heap per");
    line("connection as in B2 (floor (c)'s is Go's live heap and goroutine stacks).");
    line("");
    line("| transport | config / proxy | clients | p50 | p99 | max | CPU per change | memory per connection |");
    line("|---|---|---|---|---|---|---|---|");
    for (ConvergenceRun.Point p : sluice) {
      ConvergenceRun.Point c = same(points, p, "floor-c").orElseThrow();
      line("| %s | %.1f KB | %,d | %s | %s | %s | %s | %s |", p.transport(), p.configBytes() / 1024.0, p.clients(),
          ratio(p.latencies().p50(), c.latencies().p50()), ratio(p.latencies().p99(), c.latencies().p99()),
          ratio(p.latencies().max(), c.latencies().max()), ratio(p.cpuMsPerChange(), c.cpuMsPerChange()),
          ratio(p.heapPerConnection(), c.heapPerConnection()));
    }
    line("");
    return this;
  }

  Report capacity(List<ConvergenceRun.Point> points, List<ConvergenceRun.Storm> storms) {
    line("### B2: capacity");
    line("");
    line("Heap per connection: the server's heap after full collections with N proxies connected and idle,");
    line("less its heap before any connected, over N. Connect: proxies started one after another as fast");
    line("as the load tool can, until every one has all four types, route configurations included, whatever");
    line("their order. Floor (c), a Go process: its live");
    line("heap (`HeapAlloc`) plus goroutine stacks (`StackInuse`) after two `runtime.GC()`, the same way.");
    line("");
    line("| transport | config / proxy | clients | server | heap per connection | connect, all configured |");
    line("|---|---|---|---|---|---|");
    for (ConvergenceRun.Point p : points) {
      line("| %s | %.1f KB | %,d | %s | %.1f KB | %,d ms |", p.transport(), p.configBytes() / 1024.0, p.clients(),
          p.server(), p.heapPerConnection() / 1024.0, p.connectMs());
    }
    line("");
    line("Then every proxy disconnects; the server's open watches must drain to 0; all N reconnect at once.");
    line("");
    line("| transport | config | server | clients | watches to 0 | storm: all reconnected and configured | watches to 0 again |");
    line("|---|---|---|---|---|---|---|");
    for (ConvergenceRun.Storm s : storms) {
      line("| %s | %d KB | %s | %,d | %,d ms | %,d ms | %,d ms |", s.transport(), s.configKb(), s.server(), s.clients(),
          s.drainMs(), s.stormMs(), s.drainAgainMs());
    }
    line("");
    return this;
  }

  Report churn(List<ChurnRun.Phase> phases) {
    line("### B3: churn and slow consumers (Sluice)");
    line("");
    line("Ten route changes a second through the REST API. Latency: every (change, reading proxy) pair,");
    line("from the store's commit to the proxy's ACK of that change or a later one, after the debounce.");
    line("CPU: the Sluice process's CPU time over the phase (REST writes included) per publication.");
    line("");
    line("| transport | clients | stalled | changes | publications | p50 | p99 | max | CPU per publication | heap before → after |");
    line("|---|---|---|---|---|---|---|---|---|---|");
    for (ChurnRun.Phase p : phases) {
      line("| %s | %,d | %d | %d in %.1f s | %d | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.0f → %.0f MB |", p.transport(),
          p.clients(), p.stalled(), p.changes(), p.seconds(), p.publications(), p.latencies().p50(), p.latencies().p99(),
          p.latencies().max(), p.cpuPerPublicationMs(), p.heapBefore() / 1048576.0, p.heapAfter() / 1048576.0);
    }
    line("");
    line("Where the CPU went, per phase (from the first write until every reading proxy held the last change;");
    line("the JVM's events from its flight recorder, up to a second late):");
    line("");
    for (ChurnRun.Phase p : phases) {
      line("- %s, %d stalled: %.1f s wall; Sluice %.1f s CPU (%s; %s); its publisher %s for the %d versions the"
              + " proxies saw; proxies (load tool) %.1f s CPU; Sluice's JVM: %s; the machine: %s",
          p.transport(), p.stalled(), p.wallSeconds(), p.cpuSeconds(), p.serverThreads(), p.kernel(), p.publisher(),
          p.publications(), p.proxyCpuSeconds(), p.jvm(), p.machine());
    }
    line("");
    return this;
  }

  Report sliceChurn(List<SliceChurnRun.Result> results, int debounceMs) {
    if (results.isEmpty()) {
      return this;
    }
    line("### Slice churn: Kubernetes mode, EndpointSlice update to proxy ACK");
    line("");
    line("Sluice in Kubernetes mode on a real kube-apiserver and etcd; each ModelRoute has two versions, each");
    line("the Service of its own with one EndpointSlice of three endpoints. Updates at a steady rate go to");
    line("the slices in turn: an endpoint goes unready, or comes back ready at a new address. Latency: every");
    line("(update, proxy) pair, from the API server's answer to the update to the proxy's ACK of the first");
    line("ClusterLoadAssignment whose addresses reflect it (or a later update of the same slice), matched by");
    line("content. Sluice's debounce (its defaults: %d ms quiet, at most 1 s while changes keep coming) is", debounceMs);
    line("included. Twenty seconds of updates at the same pace come first, unmeasured (warm-up).");
    line("");
    line("| transport | routes | clusters | proxies | updates | p50 | p90 | p99 | max | pairs | missing | unmatched |");
    line("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (SliceChurnRun.Result r : results) {
      line("| %s | %,d | %,d | %,d | %,d in %.1f s | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %,d | %,d | %,d |",
          r.plan().transport(), r.plan().routes(), r.clusters(), r.proxies(), r.updates(), r.seconds(),
          r.latencies().p50(), r.latencies().p90(), r.latencies().p99(), r.latencies().max(), r.latencies().count(),
          r.missing(), r.unmatched() + r.regressions());
    }
    line("");
    line("CPU from the first measured update to the last ACK (in brackets: cores busy, CPU seconds per second); heap:");
    line("Sluice's after full collections. EDS pushes: responses that moved some cluster on, as one proxy");
    line("received them. API write: the update's round trip to the API server.");
    line("");
    line("| transport | EDS pushes | API write p50 / p99 | Sluice CPU | kube-apiserver + etcd CPU | load tool CPU | Sluice heap before → after |");
    line("|---|---|---|---|---|---|---|");
    for (SliceChurnRun.Result r : results) {
      double span = r.phaseSeconds();
      line("| %s | %,d | %.1f / %.1f ms | %.0f s (%.2f) | %.0f s (%.2f) | %.0f s (%.2f) | %.0f → %.0f MB |",
          r.plan().transport(), r.responses(), r.writes().p50(), r.writes().p99(), r.sluiceCpu(), r.sluiceCpu() / span,
          r.kubeCpu(), r.kubeCpu() / span, r.toolCpu(), r.toolCpu() / span, r.heapBefore() / 1048576.0,
          r.heapAfter() / 1048576.0);
    }
    line("");
    return this;
  }

  Report failures(List<String> failures) {
    if (!failures.isEmpty()) {
      line("### Failed parts");
      line("");
      failures.forEach(f -> line("- %s", f));
      line("");
    }
    return this;
  }

  private static Optional<ConvergenceRun.Point> same(List<ConvergenceRun.Point> points, ConvergenceRun.Point p,
      String server) {
    return points.stream().filter(q -> q.server().equals(server) && q.transport().equals(p.transport())
        && q.configKb() == p.configKb() && q.clients() == p.clients()).findFirst();
  }

  private static String ratio(ConvergenceRun.Point p, Optional<ConvergenceRun.Point> floor) {
    if (!p.server().equals("sluice") || floor.isEmpty()) {
      return "";
    }
    return ratio(p.latencies().p99(), floor.get().latencies().p99());
  }

  private static String ratio(double sluice, double floor) {
    return floor > 0 ? String.format(Locale.ROOT, "%.2f", sluice / floor) : "";
  }

  private void line(String format, Object... args) {
    out.append(String.format(Locale.ROOT, format, args)).append('\n');
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
