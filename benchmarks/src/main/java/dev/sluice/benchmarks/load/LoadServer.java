package dev.sluice.benchmarks.load;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/**
 * The server side of a load run, in a JVM of its own so that its heap and CPU are its own: Sluice,
 * or one of the two Java floors it is measured against, serving {@link Workload} to simulated
 * proxies. Floor (c), go-control-plane, is a Go program ({@link GoFloor}) that speaks the same protocol.
 * The driver ({@link LoadBench}) talks to it over standard input and output: it prints
 * {@code @@ ready <xds port>} once serving, then answers each command with one {@code @@ ...} line.
 *
 * <pre>
 * change           make the B1 change; answers the nanoTime its clock starts at
 * churn R S O      (Sluice) R changes a second for S seconds, timeouts counted from O, so that
 *                  every state of the store is new; answers "start:routesVersion ..." per change
 * heap             heap in use after full collections, in bytes
 * watches          watches open in the snapshot cache (or streams, for floor a)
 * cpu              this process's CPU time so far, in nanoseconds
 * threads          this process's CPU time so far by thread name ({@link ThreadCpu#snapshot})
 * kernel           this process's user and kernel time, page faults and context switches so far
 *                  ({@link KernelShare}, six numbers)
 * jvm              deoptimizations, compilations and collection pauses since the last "jvm"
 *                  ({@link JitEvents}, counting since the server started)
 * connected        proxies connected now (-1 when the server does not count them)
 * publisher        (Sluice) "publications nanos": its publications so far and its publisher thread's
 *                  CPU time in them, from its metrics
 * secure           (Sluice) its TLS xDS port and its trust bundle: "port base64-of-the-PEM"
 * token N          (Sluice) a bootstrap token for gateway node N, minted as POST .../bootstrap does
 * vitals           "heap threads fds watches connected": heap in use after full collections (bytes),
 *                  live threads, open file descriptors, open watches, connected proxies
 * quit
 * </pre>
 *
 * <p>Arguments: {@code sluice|floor-a|floor-b <routes> <debounce ms>}, {@code sluice <routes> <debounce ms>
 * <store folder> <xds port>} (a store kept across restarts, as the soak does), or
 * {@code sluice-k8s <routes> <debounce ms> <kubeconfig>} (Kubernetes mode; the routes are already
 * in the API server).
 */
public final class LoadServer {

  /** What a load run needs from a server. */
  interface Target extends AutoCloseable {
    int xdsPort();

    /** Makes the one change; returns the nanoTime the clock starts at. */
    long change() throws Exception;

    long watches();

    /** Proxies connected now, or -1 when the server does not count them. */
    default long connected() {
      return -1;
    }

    /**
     * Publications so far and the publisher thread's CPU time in them, in nanoseconds, as the control
     * plane's own metrics count them ({@code "publications nanos"}); {@code "-1 -1"} for the floors.
     */
    default String publisher() {
      return "-1 -1";
    }

    default String churn(int perSecond, int seconds, int offset) throws Exception {
      throw new UnsupportedOperationException("churn runs against Sluice only");
    }

    /** The TLS xDS port and its trust bundle, as {@code port base64-of-the-PEM}. */
    default String secure() {
      throw new UnsupportedOperationException("the TLS port is Sluice's only");
    }

    /** A bootstrap token for a gateway with this node id. */
    default String token(String nodeId) {
      throw new UnsupportedOperationException("bootstrap tokens are Sluice's only");
    }

    @Override
    void close();
  }

  public static void main(String[] args) throws Exception {
    Workload workload = new Workload(Integer.parseInt(args[1]));
    int debounceMs = Integer.parseInt(args[2]);
    Target target = switch (args[0]) {
      case "sluice" -> args.length > 4
          ? SluiceServer.start(workload, debounceMs, java.nio.file.Path.of(args[3]), Integer.parseInt(args[4]))
          : SluiceServer.start(workload, debounceMs);
      case "floor-a" -> RawFloor.start(workload);
      case "floor-b" -> CacheFloor.start(workload);
      case "sluice-k8s" -> KubeSluiceServer.start(java.nio.file.Path.of(args[3]), debounceMs);
      default -> throw new IllegalArgumentException("unknown server " + args[0]);
    };
    JitEvents jit = new JitEvents(); // on from the start, so that starting it lands in no measurement
    reply("ready " + target.xdsPort());
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      String[] w = line.trim().split(" ");
      try {
        switch (w[0]) {
          case "change" -> reply(Long.toString(target.change()));
          case "churn" -> reply(target.churn(Integer.parseInt(w[1]), Integer.parseInt(w[2]), Integer.parseInt(w[3])));
          case "heap" -> reply(Long.toString(heapAfterGc()));
          case "watches" -> reply(Long.toString(target.watches()));
          case "cpu" -> reply(Long.toString(cpuNanos()));
          case "threads" -> reply(ThreadCpu.snapshot());
          case "kernel" -> reply(KernelShare.now().encode());
          case "publisher" -> reply(target.publisher());
          case "jvm" -> reply(jit.window());
          case "connected" -> reply(Long.toString(target.connected()));
          case "secure" -> reply(target.secure());
          case "token" -> reply(target.token(w[1]));
          case "vitals" -> reply(heapAfterGc() + " " + count("/proc/self/task") + " " + count("/proc/self/fd") + " "
              + target.watches() + " " + target.connected());
          case "quit" -> {
            target.close();
            reply("bye");
            System.exit(0);
          }
          default -> reply("error unknown command " + w[0]);
        }
      } catch (Exception e) {
        reply("error " + e);
      }
    }
    target.close();
    System.exit(0);
  }

  private static void reply(String s) {
    System.out.println("@@ " + s);
    System.out.flush();
  }

  static long heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Entries of a folder ({@code /proc/self/fd}: open files), or -1 where there is none. */
  static long count(String folder) {
    try (java.util.stream.Stream<java.nio.file.Path> entries = java.nio.file.Files.list(java.nio.file.Path.of(folder))) {
      return entries.count();
    } catch (java.io.IOException e) {
      return -1;
    }
  }

  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private LoadServer() {}
}
