package dev.sluice.controlplane.measure;

import dev.sluice.controlplane.measure.VersionMeasurements.Reporter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The measurements as Prometheus series, per model version ({@code namespace}, {@code route},
 * {@code version}: the three parts of its cluster's name):
 *
 * <ul>
 *   <li>{@code sluice_version_requests_total{namespace,route,version,reporter}}: requests completed;
 *       {@code reporter} is {@code envoy} (Envoy's load reports: upstream attempts), {@code proxyless}
 *       (gRPC clients' load reports: calls) or {@code access_log} (Envoy's access logs: requests);
 *   <li>{@code sluice_version_errors_total{...}}: those that failed, as the reporter counts it:
 *       Envoy LRS 5xx, proxyless any status but OK, access logs 5xx or a gRPC status but OK;
 *   <li>{@code sluice_version_latency_seconds{namespace,route,version}}: the access logs' latency
 *       (from the request's first byte at the proxy to the last byte of the version's answer), with a
 *       few fixed buckets.
 * </ul>
 *
 * The series of a version appear with its first report and go when it is forgotten; their number is
 * bounded by {@code sluice.measure.max-clusters}, three reporters each.
 *
 * <p>Thread-safe.
 */
final class VersionMetrics {
  static final String REQUESTS = "sluice.version.requests";
  static final String ERRORS = "sluice.version.errors";
  static final String LATENCY = "sluice.version.latency";
  private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

  private record Key(String cluster, Reporter reporter) {}

  private final MeterRegistry registry;
  private final Map<Key, Counter> requests = new ConcurrentHashMap<>();
  private final Map<Key, Counter> errors = new ConcurrentHashMap<>();
  private final Map<String, Timer> latency = new ConcurrentHashMap<>();

  VersionMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Metrics nobody reads, for tests. */
  static VersionMetrics unregistered() {
    return new VersionMetrics(new SimpleMeterRegistry());
  }

  void count(String cluster, Reporter reporter, long completed, long failed) {
    Key key = new Key(cluster, reporter);
    if (completed > 0) {
      requests.computeIfAbsent(key, k -> Counter.builder(REQUESTS)
          .description("Requests to a model version that completed, as each kind of reporter counts them")
          .tags(tags(cluster)).tag("reporter", reporter.tag).register(registry)).increment(completed);
    }
    if (failed > 0) {
      errors.computeIfAbsent(key, k -> Counter.builder(ERRORS)
          .description("Requests to a model version that failed, as each kind of reporter counts them")
          .tags(tags(cluster)).tag("reporter", reporter.tag).register(registry)).increment(failed);
    }
  }

  /** One logged request: counted, and its latency (negative: none) recorded. */
  void logged(String cluster, boolean failed, long latencyMicros) {
    count(cluster, Reporter.ACCESS_LOG, 1, failed ? 1 : 0);
    if (latencyMicros >= 0) {
      latency.computeIfAbsent(cluster, c -> Timer.builder(LATENCY)
          .description("Latency of requests to a model version, from Envoy's access logs: from the request's first "
              + "byte at the proxy to the last byte of the version's answer")
          .tags(tags(cluster))
          .serviceLevelObjectives(BUCKETS)
          .register(registry)).record(latencyMicros, TimeUnit.MICROSECONDS);
    }
  }

  /** Removes every series of a cluster. */
  void forget(String cluster) {
    for (Reporter r : Reporter.values()) {
      Key key = new Key(cluster, r);
      Counter c = requests.remove(key);
      if (c != null) {
        registry.remove(c);
      }
      c = errors.remove(key);
      if (c != null) {
        registry.remove(c);
      }
    }
    Timer t = latency.remove(cluster);
    if (t != null) {
      registry.remove(t);
    }
  }

  private static Tags tags(String cluster) {
    String[] parts = cluster.split("\\|", -1);
    return Tags.of("namespace", parts[0], "route", parts[1], "version", parts[2]);
  }
}
