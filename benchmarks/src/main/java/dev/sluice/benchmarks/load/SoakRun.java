package dev.sluice.benchmarks.load;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The soak (issue 18, item 6): Sluice serving a fleet for a long time while routes change through
 * the REST API, proxies hang up and reconnect at random, and the control plane is restarted on the
 * same store at a fixed interval. Each stretch between restarts is a segment; at its start and end
 * the server's heap (after full collections), threads, open files and open watches are read. At the
 * end writing stops and every proxy must hold the latest route version. Not part of {@code verify}:
 * {@code benchmarks/run soak} or {@code -Pload "-Dload.plan=soak minutes=3 restartMinutes=1 proxies=200"}.
 */
final class SoakRun {

  /**
   * What a soak does; every figure can be set as {@code key=value} ({@link #with}).
   *
   * @param minutes how long routes change
   * @param proxies simulated proxies, connected for the whole soak
   * @param perSecond route writes a second through the REST API
   * @param restartMinutes the control plane is stopped and started again on the same store this often
   * @param reconnectsPerMinute proxies, picked at random, that hang up and connect again each minute
   * @param transport the proxies' ADS protocol, "sotw" or "delta"
   * @param settleSeconds after the last write, how long every proxy has to reach the latest version
   */
  record Settings(double minutes, int proxies, int perSecond, double restartMinutes, int reconnectsPerMinute,
      String transport, int settleSeconds) {

    /** Issue 18's soak: 30 minutes, 1,000 proxies, 5 writes a second, a restart every 5 minutes. */
    static final Settings ISSUE = new Settings(30, 1_000, 5, 5, 200, "sotw", 60);

    Settings {
      if (!transport.equals("sotw") && !transport.equals("delta")) {
        throw new IllegalArgumentException("transport is sotw or delta, not " + transport);
      }
      if (minutes <= 0 || restartMinutes <= 0 || proxies <= 0 || perSecond <= 0) {
        throw new IllegalArgumentException("minutes, restartMinutes, proxies and perSecond must be positive");
      }
    }

    Settings with(List<String> args) {
      Settings s = this;
      for (String arg : args) {
        String[] kv = arg.split("=", 2);
        if (kv.length < 2) {
          throw new IllegalArgumentException("soak settings are key=value, not " + arg);
        }
        s = switch (kv[0]) {
          case "minutes" -> new Settings(Double.parseDouble(kv[1]), s.proxies, s.perSecond, s.restartMinutes,
              s.reconnectsPerMinute, s.transport, s.settleSeconds);
          case "proxies" -> new Settings(s.minutes, Integer.parseInt(kv[1]), s.perSecond, s.restartMinutes,
              s.reconnectsPerMinute, s.transport, s.settleSeconds);
          case "perSecond" -> new Settings(s.minutes, s.proxies, Integer.parseInt(kv[1]), s.restartMinutes,
              s.reconnectsPerMinute, s.transport, s.settleSeconds);
          case "restartMinutes" -> new Settings(s.minutes, s.proxies, s.perSecond, Double.parseDouble(kv[1]),
              s.reconnectsPerMinute, s.transport, s.settleSeconds);
          case "reconnectsPerMinute" -> new Settings(s.minutes, s.proxies, s.perSecond, s.restartMinutes,
              Integer.parseInt(kv[1]), s.transport, s.settleSeconds);
          case "transport" -> new Settings(s.minutes, s.proxies, s.perSecond, s.restartMinutes,
              s.reconnectsPerMinute, kv[1], s.settleSeconds);
          case "settleSeconds" -> new Settings(s.minutes, s.proxies, s.perSecond, s.restartMinutes,
              s.reconnectsPerMinute, s.transport, Integer.parseInt(kv[1]));
          default -> throw new IllegalArgumentException("unknown soak setting " + arg);
        };
      }
      return s;
    }

    /** Segment lengths in seconds: whole restart intervals, the last one cut short to fit. */
    List<Integer> segments() {
      List<Integer> out = new ArrayList<>();
      int total = (int) Math.round(minutes * 60);
      int each = Math.max(1, (int) Math.round(restartMinutes * 60));
      for (int done = 0; done < total; done += each) {
        out.add(Math.min(each, total - done));
      }
      return out;
    }
  }

  /** The server's state at one moment; -1 where unknown. */
  record Vitals(long heapBytes, long threads, long openFiles, long watches, long connected) {
    static Vitals parse(String line) {
      String[] f = line.trim().split(" ");
      return new Vitals(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
          Long.parseLong(f[4]));
    }
  }

  /**
   * One stretch between restarts: the server's vitals once every proxy was back and again after the
   * writes, how many writes and reconnects it had and how long the writes took ({@code seconds}: at
   * least the planned length; longer when the server could not keep the rate), and how long the fleet took to come back after
   * the (re)start: {@code startSeconds} until the control plane served, {@code backSeconds} from then until
   * every proxy was connected and held the version the store was left at.
   */
  record Segment(int index, double seconds, Vitals start, Vitals end, int writes, int reconnects,
      double startSeconds, double backSeconds, String serverThreads) {}

  /** The whole soak; {@code stale}: proxies not on the latest version {@code settleSeconds} after the last write. */
  record Result(Settings settings, List<Segment> segments, String latestVersion, int stale, double settledSeconds) {}

  private static final int DEBOUNCE_MS = 100;

  static Result run(Settings settings) throws Exception {
    Path store = Files.createTempDirectory("sluice-soak");
    int port = freePort();
    int routes = Workload.routesForKilobytes(5);
    List<Segment> segments = new ArrayList<>();
    ScheduledExecutorService background = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "soak");
      t.setDaemon(true);
      return t;
    });
    Random random = new Random(18);
    String latest = null;
    int stale = -1;
    double settled = -1;
    int offset = 0;
    List<Integer> lengths = settings.segments();
    try (Fleet fleet = new Fleet(port, settings.transport().equals("delta")).resubscribingOnFailure(background)) {
      for (int i = 0; i < lengths.size(); i++) {
        long startedAt = System.nanoTime();
        try (ServerProcess s = ServerProcess.start("sluice", routes, DEBOUNCE_MS, store.toString(), Integer.toString(port))) {
          double up = (System.nanoTime() - startedAt) / 1e9;
          long servingAt = System.nanoTime();
          if (i == 0) {
            fleet.growTo(settings.proxies());
          }
          awaitFleet(s, fleet, latest, 120);
          double back = (System.nanoTime() - servingAt) / 1e9;
          Vitals start = Vitals.parse(s.call("vitals"));
          String threads = s.call("threads");
          AtomicInteger reconnects = new AtomicInteger();
          long every = Math.max(1, 60_000_000_000L / Math.max(1, settings.reconnectsPerMinute()));
          var reconnecting = settings.reconnectsPerMinute() == 0 ? null : background.scheduleAtFixedRate(() -> {
            synchronized (fleet) {
              fleet.reconnect(random.nextInt(fleet.size()));
            }
            reconnects.incrementAndGet();
          }, every, every, TimeUnit.NANOSECONDS);
          long writing = System.nanoTime();
          String[] changes = s.call("churn " + settings.perSecond() + " " + lengths.get(i) + " " + offset).split(" ");
          double wrote = (System.nanoTime() - writing) / 1e9;
          offset += changes.length;
          if (reconnecting != null) {
            reconnecting.cancel(false);
          }
          latest = changes[changes.length - 1].split(":")[1];
          boolean last = i == lengths.size() - 1;
          if (last) {
            long settleStart = System.nanoTime();
            stale = awaitVersion(fleet, latest, settings.settleSeconds());
            settled = (System.nanoTime() - settleStart) / 1e9;
          }
          Vitals end = Vitals.parse(s.call("vitals"));
          Segment segment = new Segment(i + 1, wrote, start, end, changes.length, reconnects.get(), up, back,
              ThreadCpu.top(threads, s.call("threads"), 5));
          segments.add(segment);
          System.err.println("  " + segment);
        }
      }
    } finally {
      background.shutdownNow();
    }
    return new Result(settings, segments, latest, stale, settled);
  }

  /**
   * Waits until every proxy of the fleet is connected to this server and (once a version is known)
   * holds it: after a restart they open their streams again by themselves.
   */
  private static void awaitFleet(ServerProcess s, Fleet fleet, String version, int timeoutSeconds)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (s.callLong("connected") < fleet.size() || (version != null && behind(fleet, version) > 0)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(s.callLong("connected") + " of " + fleet.size() + " proxies connected and "
            + (version == null ? "?" : behind(fleet, version)) + " not on " + version + " " + timeoutSeconds
            + " s after the control plane started");
      }
      Thread.sleep(100);
    }
  }

  /** Waits up to the timeout for every proxy to hold {@code version}; returns how many still do not. */
  private static int awaitVersion(Fleet fleet, String version, int timeoutSeconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    int behind;
    while ((behind = behind(fleet, version)) > 0 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    return behind;
  }

  private static int behind(Fleet fleet, String version) {
    int n = 0;
    synchronized (fleet) {
      for (SimulatedProxy p : fleet.proxies()) {
        if (!version.equals(p.routesVersion())) {
          n++;
        }
      }
    }
    return n;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The soak as Markdown. */
  static String report(Result r, String machine) {
    StringBuilder out = new StringBuilder();
    Settings s = r.settings();
    out.append("## Soak\n\n").append(machine).append("\n\n");
    out.append(String.format("%s proxies (%s), %d route writes/s through the REST API for %s min, %d proxies a minute "
            + "hanging up and reconnecting at random, the control plane restarted on the same store every %s min. "
            + "Vitals are the Sluice process's: heap in use after full collections, live threads, open file "
            + "descriptors, open watches (the snapshot cache's), connected proxies (its gauge "
            + "`sluice_xds_connected_proxies`); read once every proxy is back after a (re)start, and after the "
            + "segment's writes. Start: from starting the control plane's JVM until it serves; back: from then "
            + "until every proxy is connected again and holds the version the store was left at.%n%n",
        String.format("%,d", s.proxies()), s.transport(), s.perSecond(), trim(s.minutes()), s.reconnectsPerMinute(),
        trim(s.restartMinutes())));
    out.append("| segment | writes (in) | reconnects | start, back | heap | threads | open files | watches | connected | CPU by thread |\n");
    out.append("|---|---|---|---|---|---|---|---|---|---|\n");
    for (Segment g : r.segments()) {
      out.append(String.format("| %d | %d (%.0f s) | %d | %.1f s, %.1f s | %.0f → %.0f MB | %d → %d | %d → %d | %d → %d | %d → %d | %s |%n",
          g.index(), g.writes(), g.seconds(), g.reconnects(), g.startSeconds(), g.backSeconds(), g.start().heapBytes() / 1048576.0,
          g.end().heapBytes() / 1048576.0, g.start().threads(), g.end().threads(), g.start().openFiles(),
          g.end().openFiles(), g.start().watches(), g.end().watches(), g.start().connected(), g.end().connected(),
          g.serverThreads()));
    }
    if (!r.segments().isEmpty()) {
      Segment first = r.segments().get(0);
      Segment last = r.segments().get(r.segments().size() - 1);
      out.append(String.format("%nFirst segment's start → last segment's end: heap %.0f → %.0f MB, threads %d → %d, "
              + "open files %d → %d, watches %d → %d.%n", first.start().heapBytes() / 1048576.0,
          last.end().heapBytes() / 1048576.0, first.start().threads(), last.end().threads(), first.start().openFiles(),
          last.end().openFiles(), first.start().watches(), last.end().watches()));
    }
    out.append(String.format("%nAfter the last write: %d of %,d proxies not on the latest route version (%s) after "
            + "%.1f s (allowed: %d s).%n", r.stale(), s.proxies(), r.latestVersion(), r.settledSeconds(),
        s.settleSeconds()));
    return out.toString();
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private SoakRun() {}
}
