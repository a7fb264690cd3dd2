package dev.sluice.benchmarks.load;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * The load benchmarks B1 (convergence), B2 (capacity) and B3 (churn), with B6's floors measured in
 * the same run, and the Kubernetes-mode slice churn ({@link SliceChurnRun}). Each server runs in a
 * JVM of its own ({@link ServerProcess}); the simulated proxies run here. Prints Markdown and writes
 * it to {@code target/load-<plan>.md}.
 *
 * <p>Run: {@code ./mvnw -B -q -pl benchmarks -am -DskipTests -Pload package [-Dload.plan=quick|full|k8s]};
 * {@code "-Dload.plan=quick b3 sotw"} runs a part of a plan, {@code "-Dload.plan=k8s routes=10 proxies=50"}
 * the slice churn at other sizes; {@code "-Dload.plan=soak minutes=3 restartMinutes=1 proxies=200"} the soak
 * ({@link SoakRun}) at other sizes.
 */
public final class LoadBench {
  public static void main(String[] args) throws Exception {
    List<String> narrow = List.of(args).subList(Math.min(1, args.length), args.length);
    if (args.length > 0 && args[0].equals("soak")) {
      soak(SoakRun.Settings.ISSUE.with(narrow));
      return;
    }
    Plan plan = Plan.named(args.length > 0 ? args[0] : "quick").with(narrow);
    long began = System.nanoTime();
    List<ConvergenceRun.Point> points = new ArrayList<>();
    List<ConvergenceRun.Storm> storms = new ArrayList<>();
    List<ChurnRun.Phase> phases = new ArrayList<>();
    List<SliceChurnRun.Result> slices = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    Path file = Path.of("target", "load-" + plan.name() + ".md");
    Files.createDirectories(file.getParent());
    List<String> parts = only(narrow, PARTS);
    // Calibrated now, while nothing else of the run is busy; probes only where B3 runs.
    MachineSpeed speed = parts.contains("b3") && !plan.churnTransports().isEmpty()
        ? new MachineSpeed().start(Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "machine-speed");
          t.setDaemon(true);
          return t;
        })) : null;
    warmUp();
    for (String transport : parts.contains("b1") ? only(narrow, plan.transports()) : List.<String>of()) {
      for (int kb : only(narrow, plan.configKb().stream().map(k -> k + "kb").toList()).stream()
          .mapToInt(k -> Integer.parseInt(k.replace("kb", ""))).toArray()) {
        for (String server : only(narrow, Plan.SERVERS)) {
          System.err.printf("B1/B2 %s %d KB %s%n", transport, kb, server);
          try {
            storms.add(ConvergenceRun.run(plan, server, transport, kb, points));
          } catch (Exception | Error e) { // one server's failure must not lose the others' results
            failures.add("B1/B2 " + transport + " " + kb + " KB " + server + ": " + e);
            e.printStackTrace();
          }
          Files.writeString(file, report(plan, began, points, storms, phases, slices, failures));
        }
      }
    }
    for (String transport : parts.contains("b3") ? only(narrow, plan.churnTransports()) : List.<String>of()) {
      System.err.printf("B3 %s%n", transport);
      try {
        phases.addAll(ChurnRun.run(plan, transport, speed));
      } catch (Exception | Error e) {
        failures.add("B3 " + transport + ": " + e);
        e.printStackTrace();
      }
      Files.writeString(file, report(plan, began, points, storms, phases, slices, failures));
    }
    for (Plan.SliceChurn churn : parts.contains("k8s") ? plan.sliceChurns() : List.<Plan.SliceChurn>of()) {
      System.err.printf("slice churn %s%n", churn);
      try {
        slices.add(SliceChurnRun.run(churn, plan.debounceMs()));
      } catch (Exception | Error e) {
        failures.add("slice churn " + churn + ": " + e);
        e.printStackTrace();
      }
      Files.writeString(file, report(plan, began, points, storms, phases, slices, failures));
    }
    String report = report(plan, began, points, storms, phases, slices, failures);
    Files.writeString(file, report);
    System.out.println(report);
    System.err.printf("written to %s; the run took %.1f minutes%n", file.toAbsolutePath(), (System.nanoTime() - began) / 6e10);
    System.exit(0);
  }

  /** The soak alone ({@link SoakRun}); written to {@code target/load-soak.md}. */
  private static void soak(SoakRun.Settings settings) throws Exception {
    long began = System.nanoTime();
    System.err.printf("soak %s%n", settings);
    SoakRun.Result result = SoakRun.run(settings);
    String report = SoakRun.report(result, machine(began));
    Path file = Path.of("target", "load-soak.md");
    Files.createDirectories(file.getParent());
    Files.writeString(file, report);
    System.out.println(report);
    System.err.printf("written to %s; the soak took %.1f minutes%n", file.toAbsolutePath(), (System.nanoTime() - began) / 6e10);
    System.exit(result.stale() == 0 ? 0 : 1);
  }

  private static String report(Plan plan, long began, List<ConvergenceRun.Point> points,
      List<ConvergenceRun.Storm> storms, List<ChurnRun.Phase> phases, List<SliceChurnRun.Result> slices,
      List<String> failures) throws Exception {
    Report report = new Report().header(plan, machine(began));
    if (!points.isEmpty() || !phases.isEmpty()) {
      report.convergence(points, plan.debounceMs(), plan.warmUps()).capacity(points, storms).churn(phases);
    }
    return report.sliceChurn(slices, plan.debounceMs()).failures(failures).toString();
  }

  /** This JVM's proxies run compiled before the first measurement: five hundred of each kind, against floor (a). */
  private static void warmUp() throws Exception {
    try (ServerProcess s = ServerProcess.start("floor-a", Workload.routesForKilobytes(5), 0)) {
      for (boolean delta : new boolean[] {false, true}) {
        try (Fleet fleet = new Fleet(s.xdsPort(), delta)) {
          fleet.growTo(500);
          for (int i = 0; i < 5; i++) {
            fleet.change(s::change);
          }
        }
      }
    }
  }

  private static final List<String> PARTS = List.of("b1", "b3", "k8s");

  /**
   * Further arguments narrow the run, for profiling: {@code b1} (with B2), {@code b3} or {@code k8s}
   * (the slice churn), a transport, a server, a configuration size ({@code 300kb}). Of each kind, the
   * ones named, or all when none is. Arguments {@code key=value} set the slice churn's sizes
   * ({@link Plan.SliceChurn#with}), and {@code warmUps=N} the unmeasured changes at each fleet size after the first.
   */
  private static List<String> only(List<String> narrow, List<String> kind) {
    List<String> named = kind.stream().filter(narrow::contains).toList();
    return named.isEmpty() ? kind : named;
  }

  private static String machine(long began) throws Exception {
    String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
        .findFirst().map(l -> l.substring(l.indexOf(':') + 2)).orElse("unknown CPU");
    long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getTotalMemorySize();
    return String.format("Date %s; commit %s; %s %s; %d CPUs (%s), %d GiB. Servers and proxies share the CPUs. "
            + "Run took %.1f minutes.", LocalDate.now(), commit(), System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
        Runtime.getRuntime().availableProcessors(), cpu, memory >> 30, (System.nanoTime() - began) / 6e10);
  }

  private static String commit() {
    try {
      Process git = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").start();
      String head = new String(git.getInputStream().readAllBytes()).trim();
      Process dirty = new ProcessBuilder("git", "status", "--porcelain", "--untracked-files=no").start();
      return head + (new String(dirty.getInputStream().readAllBytes()).isBlank() ? "" : " (with local changes)");
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  private LoadBench() {}
}
