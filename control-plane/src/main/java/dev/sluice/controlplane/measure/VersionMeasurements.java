package dev.sluice.controlplane.measure;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the data plane says about each model version, straight from the proxies: cumulative totals
 * per cluster ({@code <ns>|<route>|<version>}, translators' {@code Names.cluster}) since this control
 * plane started (or since it forgot the version). Readers take two {@link #totals} some time apart
 * and compare them with {@link VersionTotals#since}.
 *
 * <p>Four sources, kept apart because they count different things:
 * <ul>
 *   <li>Envoy's load reports (LRS, {@link LoadReportingServer}): upstream requests completed and
 *       those that failed (Envoy counts HTTP 5xx, and gRPC errors mapped to 5xx), per attempt, so a
 *       retried request counts once per try. Shown to users as a cross-check, and the fallback when
 *       no access log arrives.
 *   <li>Proxyless gRPC clients' load reports (LRS, {@code lrs_server: self}): calls completed and
 *       those that ended with any status but OK. The only source for proxyless traffic.
 *   <li>Envoy's access logs (ALS, {@link AccessLogServer}): one outcome per request Envoy answered,
 *       as {@link Outcome} (HTTP status, gRPC status) counts, so that the reader decides what a
 *       failure is ({@link FailurePolicy}).
 *   <li>The latency of those requests the version's server answered (from the request's first byte
 *       at the proxy to the last byte of the server's answer), in a histogram of microseconds with
 *       two significant digits.
 * </ul>
 * A request through an Envoy is in both Envoy sources; a proxyless call only in the proxyless one.
 *
 * <p>Only names of three non-empty {@code |}-separated parts are kept: reports also name the xDS
 * cluster, sidecars' {@code inbound|<port>} and the like. At most {@code sluice.measure.max-clusters}
 * versions are kept; a version no report named for {@code sluice.measure.forget-after} is forgotten
 * (its totals restart from zero, which {@link VersionTotals#since} recognises), and reports for a new
 * version beyond the bound are dropped with a warning.
 *
 * <p>Thread-safe: the map of versions is concurrent; each version's totals are guarded by its own
 * monitor, so that a snapshot is consistent.
 */
public final class VersionMeasurements {
  private static final Logger log = LoggerFactory.getLogger(VersionMeasurements.class);
  /** Two significant digits: a percentile is exact to 1 %, and a version's histogram stays a few KB. */
  static final int SIGNIFICANT_DIGITS = 2;
  /** Latencies above an hour are recorded as an hour; it bounds each histogram's size. */
  static final long MAX_LATENCY_MICROS = 3_600_000_000L;
  private static final long SWEEP_EVERY_MILLIS = 60_000;
  private static final long WARN_EVERY_MILLIS = 60_000;

  /** Who sent a count; the {@code reporter} label of the metrics. */
  enum Reporter {
    ENVOY("envoy"),
    PROXYLESS("proxyless"),
    ACCESS_LOG("access_log");

    final String tag;

    Reporter(String tag) {
      this.tag = tag;
    }
  }

  private final Map<String, Totals> versions = new ConcurrentHashMap<>();
  private final Clock clock;
  private final int maxClusters;
  private final long forgetAfterMillis;
  private final VersionMetrics metrics;
  private final AtomicLong nextSweep = new AtomicLong();
  private final AtomicLong nextWarning = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  /** The clusters reports are taken for; null until first set: all. */
  private volatile Set<String> accepted;

  /** Measurements whose metrics go to {@code registry}. */
  public VersionMeasurements(Clock clock, MeasureProperties properties, MeterRegistry registry) {
    this(clock, properties, new VersionMetrics(registry));
  }

  VersionMeasurements(Clock clock, MeasureProperties properties, VersionMetrics metrics) {
    this.clock = clock;
    this.maxClusters = properties.maxClusters();
    this.forgetAfterMillis = properties.forgetAfter().toMillis();
    this.metrics = metrics;
    this.nextSweep.set(clock.millis() + SWEEP_EVERY_MILLIS);
  }

  /** The totals of one cluster so far; never null: zeros when nothing was reported for it. */
  public VersionTotals totals(String cluster) {
    Totals t = versions.get(cluster);
    return t == null ? VersionTotals.empty() : t.snapshot();
  }

  /**
   * From now on, takes reports only for these clusters (the versions of routes in rollout) and
   * forgets the others: a proxy cannot fill the bound, or the metrics, with names of its own making.
   */
  public void acceptOnly(Set<String> clusters) {
    Set<String> only = Set.copyOf(clusters);
    accepted = only;
    for (Map.Entry<String, Totals> e : versions.entrySet()) {
      if (!only.contains(e.getKey()) && versions.remove(e.getKey(), e.getValue())) {
        metrics.forget(e.getKey()); // its series go too
      }
    }
  }

  /** The clusters measured now, sorted. */
  public SortedSet<String> clusters() {
    return new TreeSet<>(versions.keySet());
  }

  /** Adds one load report's counts for a cluster: requests completed and those of them that failed. */
  void loadReport(String cluster, Reporter reporter, long requests, long errors) {
    if (reporter == Reporter.ACCESS_LOG) {
      throw new IllegalArgumentException("access-log outcomes are added with logged()");
    }
    if (requests <= 0 && errors <= 0) {
      return;
    }
    Totals t = forWriting(cluster);
    if (t != null) {
      t.add(reporter, Math.max(0, requests), Math.max(0, errors), clock.millis());
      metrics.count(cluster, reporter, Math.max(0, requests), Math.max(0, errors));
    }
  }

  /**
   * Adds one request an Envoy logged for a cluster.
   *
   * @param latencyMicros from the request's first byte at the proxy to the last byte of the version's
   *     answer; negative when the version's server never answered
   */
  void logged(String cluster, Outcome outcome, long latencyMicros) {
    Totals t = forWriting(cluster);
    if (t != null) {
      long latency = latencyMicros < 0 ? -1 : Math.min(latencyMicros, MAX_LATENCY_MICROS);
      t.log(outcome, latency, clock.millis());
      metrics.logged(cluster, FailurePolicy.SERVER_ERRORS.failed(outcome), latency);
    }
  }

  /** Reports dropped because the bound on versions was reached. */
  long dropped() {
    return dropped.get();
  }

  private Totals forWriting(String cluster) {
    Set<String> only = accepted;
    if (only != null && !only.contains(cluster)) {
      return null;
    }
    Totals t = versions.get(cluster);
    if (t != null) {
      return t;
    }
    if (!isVersionCluster(cluster)) {
      return null;
    }
    sweepIfDue();
    if (versions.size() >= maxClusters) {
      forgetIdle();
      if (versions.size() >= maxClusters) {
        dropped.incrementAndGet();
        long now = clock.millis();
        long due = nextWarning.get();
        if (now >= due && nextWarning.compareAndSet(due, now + WARN_EVERY_MILLIS)) {
          log.warn("measuring {} model versions already (sluice.measure.max-clusters); dropping reports for {} and "
              + "other new versions until some are forgotten ({} reports dropped so far)", versions.size(), cluster,
              dropped.get());
        }
        return null;
      }
    }
    return versions.computeIfAbsent(cluster, c -> new Totals());
  }

  private void sweepIfDue() {
    long now = clock.millis();
    long due = nextSweep.get();
    if (now >= due && nextSweep.compareAndSet(due, now + SWEEP_EVERY_MILLIS)) {
      forgetIdle();
    }
  }

  /** Forgets every version no report named for {@code forget-after}. */
  void forgetIdle() {
    long cutoff = clock.millis() - forgetAfterMillis;
    for (Map.Entry<String, Totals> e : versions.entrySet()) {
      if (e.getValue().lastUpdated() < cutoff && versions.remove(e.getKey(), e.getValue())) {
        metrics.forget(e.getKey());
        log.info("forgot the measurements of {}: no report named it for {} ms", e.getKey(), forgetAfterMillis);
      }
    }
  }

  /** {@code <ns>|<route>|<version>}: three non-empty parts. */
  static boolean isVersionCluster(String name) {
    int first = name.indexOf('|');
    int second = first < 0 ? -1 : name.indexOf('|', first + 1);
    return first > 0 && second > first + 1 && second < name.length() - 1 && name.indexOf('|', second + 1) < 0;
  }

  static Histogram newHistogram() {
    Histogram h = new Histogram(SIGNIFICANT_DIGITS);
    h.setAutoResize(true);
    return h;
  }

  /** One version's totals; every field guarded by this. */
  private static final class Totals {
    private long envoyRequests;
    private long envoyErrors;
    private long proxylessRequests;
    private long proxylessErrors;
    private final Map<Outcome, Long> logged = new HashMap<>();
    private final Histogram latency = newHistogram();
    private volatile long lastUpdated;

    synchronized void add(Reporter reporter, long requests, long errors, long now) {
      if (reporter == Reporter.ENVOY) {
        envoyRequests += requests;
        envoyErrors += errors;
      } else {
        proxylessRequests += requests;
        proxylessErrors += errors;
      }
      lastUpdated = now;
    }

    synchronized void log(Outcome outcome, long latencyMicros, long now) {
      logged.merge(outcome, 1L, Long::sum);
      if (latencyMicros >= 0) {
        latency.recordValue(latencyMicros);
      }
      lastUpdated = now;
    }

    long lastUpdated() {
      return lastUpdated;
    }

    synchronized VersionTotals snapshot() {
      return new VersionTotals(envoyRequests, envoyErrors, proxylessRequests, proxylessErrors, Map.copyOf(logged),
          latency.copy());
    }
  }

  /**
   * One cluster's totals at one moment.
   *
   * @param envoyLrsRequests upstream requests Envoy proxies reported completed (LRS: successful + error)
   * @param envoyLrsErrors those of them Envoy counted as errors (5xx, and gRPC errors mapped to 5xx)
   * @param proxylessRequests calls proxyless gRPC clients reported completed (LRS)
   * @param proxylessErrors those of them that ended with a status other than OK
   * @param logged requests Envoy access logs reported, by outcome
   * @param latencyMicros the latency of the logged requests the version's server answered, in
   *     microseconds; the caller's own copy
   */
  public record VersionTotals(long envoyLrsRequests, long envoyLrsErrors, long proxylessRequests, long proxylessErrors,
      Map<Outcome, Long> logged, Histogram latencyMicros) {
    public VersionTotals {
      logged = Map.copyOf(logged);
      Objects.requireNonNull(latencyMicros, "latencyMicros");
    }

    /** Nothing seen. */
    public static VersionTotals empty() {
      return new VersionTotals(0, 0, 0, 0, Map.of(), newHistogram());
    }

    /** Requests the access logs reported, whatever their outcome. */
    public long loggedRequests() {
      return logged.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Requests and failures between an earlier snapshot and this one: the access logs' outcomes that
     * {@code failed} classifies as failures (Envoy traffic) plus the proxyless clients' load reports
     * (their own notion of an error: any status but OK); the p99 latency from the access logs.
     *
     * <p>Fallback: when Envoy proxies reported load for the cluster in the window but no access log
     * entry arrived (a proxy whose bootstrap has no {@code sluice-xds} cluster for the access log, or
     * whose log service stream is down), Envoy's own load-report counts stand in for the access
     * logs: requests as Envoy counted them, failures as Envoy counted them (5xx), whatever
     * {@code failed} says, and no latency. The stand-in applies only when the access logs saw
     * nothing at all; where some proxies log and others do not, the window holds the logging ones.
     *
     * <p>When this snapshot has less of anything than {@code earlier}, the version was forgotten and
     * measured again in between: the window is then everything in this snapshot.
     *
     * @param earlier an earlier snapshot of the same cluster; null for the start
     * @return the window; {@code p99Millis} null when no request in it has a latency
     */
    public Window since(VersionTotals earlier, FailurePolicy failed) {
      Objects.requireNonNull(failed, "failed");
      VersionTotals base = earlier == null || restartedSince(earlier) ? empty() : earlier;
      long loggedRequests = 0;
      long loggedFailures = 0;
      for (Map.Entry<Outcome, Long> e : logged.entrySet()) {
        long delta = e.getValue() - base.logged.getOrDefault(e.getKey(), 0L);
        if (delta > 0) {
          loggedRequests += delta;
          if (failed.failed(e.getKey())) {
            loggedFailures += delta;
          }
        }
      }
      long requests = loggedRequests;
      long failures = loggedFailures;
      long envoyRequests = envoyLrsRequests - base.envoyLrsRequests;
      if (loggedRequests == 0 && envoyRequests > 0) {
        requests = envoyRequests;
        failures = envoyLrsErrors - base.envoyLrsErrors;
      }
      requests += proxylessRequests - base.proxylessRequests;
      failures += proxylessErrors - base.proxylessErrors;
      Histogram delta = latencyMicros.copy();
      try {
        delta.subtract(base.latencyMicros);
      } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
        delta = latencyMicros.copy(); // not an earlier state of this histogram: count all of it
      }
      long samples = delta.getTotalCount();
      Double p99 = samples == 0 ? null : delta.getValueAtPercentile(99.0) / 1000.0;
      return new Window(requests, failures, p99, samples);
    }

    private boolean restartedSince(VersionTotals earlier) {
      if (envoyLrsRequests < earlier.envoyLrsRequests || envoyLrsErrors < earlier.envoyLrsErrors
          || proxylessRequests < earlier.proxylessRequests || proxylessErrors < earlier.proxylessErrors
          || latencyMicros.getTotalCount() < earlier.latencyMicros.getTotalCount()) {
        return true;
      }
      for (Map.Entry<Outcome, Long> e : earlier.logged.entrySet()) {
        if (logged.getOrDefault(e.getKey(), 0L) < e.getValue()) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * How a logged request ended.
   *
   * @param httpStatus the HTTP status Envoy sent downstream; 0 when it sent none (the caller went away)
   * @param grpcStatus the {@code grpc-status} of the response (trailer, or header of a trailers-only
   *     response), -1 when it carried none
   */
  public record Outcome(int httpStatus, int grpcStatus) {
    /** No gRPC status in the response. */
    public static final int NO_GRPC_STATUS = -1;

    /** A 5xx, or a gRPC status other than OK. */
    public boolean serverError() {
      return httpStatus >= 500 || grpcStatus > 0;
    }
  }

  /** Which outcomes count as failures of a version, for a rollout's error rate. */
  @FunctionalInterface
  public interface FailurePolicy {
    /** HTTP 5xx or a gRPC status other than OK: what {@code sluice_version_errors_total} counts. */
    FailurePolicy SERVER_ERRORS = Outcome::serverError;

    boolean failed(Outcome outcome);
  }

  /**
   * What happened to a version between two snapshots.
   *
   * @param requests requests completed (see {@link VersionTotals#since} for which sources)
   * @param failures those of them that failed
   * @param p99Millis the 99th percentile latency in milliseconds, null without samples
   * @param latencySamples how many requests the percentile is taken from
   */
  public record Window(long requests, long failures, Double p99Millis, long latencySamples) {
    /** Failures over requests, 0 without requests. */
    public double errorRate() {
      return requests == 0 ? 0 : (double) failures / requests;
    }
  }
}
