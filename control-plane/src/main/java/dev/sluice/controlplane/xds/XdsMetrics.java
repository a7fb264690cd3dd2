package dev.sluice.controlplane.xds;

import dev.sluice.translate.ProxyGroup;
import dev.sluice.translate.ProxyRole;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The xDS server's metrics, in Prometheus terms: {@code sluice_xds_connected_proxies{role}},
 * {@code sluice_xds_pushes_total{type}}, {@code sluice_xds_rejects_total{type}} and
 * {@code sluice_xds_convergence_seconds{type}}: from a snapshot's publication to each proxy's ACK of
 * it. {@code type} is {@code cds}, {@code eds}, {@code lds}, {@code rds} or {@code sds}.
 *
 * <p>And the publisher's cost, to catch one that spins: {@code sluice_xds_publications_total} (its
 * {@code rate()} is publications per second), {@code sluice_xds_publication_seconds}: wall time of
 * each, and {@code sluice_xds_publication_cpu_seconds}: the publisher thread's CPU time of each (CPU
 * per publication is the rate of its {@code _sum} over the rate of its {@code _count}).
 *
 * <p>Thread-safe.
 */
final class XdsMetrics {
  private final MeterRegistry registry;
  private final LongSupplier nanoTime;
  /** By type URL, not by its short name: a push (once per response) finds its counter without string work. */
  private final Map<String, Counter> pushes = new ConcurrentHashMap<>();
  private final Map<String, Counter> rejects = new ConcurrentHashMap<>();
  private final Map<String, Timer> convergence = new ConcurrentHashMap<>();
  /** Per group and type URL: the version published last, and when. */
  private final Map<ProxyGroup, Map<String, Published>> published = new ConcurrentHashMap<>();
  private final Counter publications;
  private final Timer publicationWall;
  private final Timer publicationCpu;

  private record Published(String version, long atNanos) {}

  XdsMetrics(MeterRegistry registry, LongSupplier nanoTime) {
    this.registry = registry;
    this.nanoTime = nanoTime;
    this.publications = Counter.builder("sluice.xds.publications")
        .description("Publications: the publisher translated the routes and set the snapshots of one or more groups")
        .register(registry);
    this.publicationWall = histogram("sluice.xds.publication", "Wall time of each publication").register(registry);
    this.publicationCpu = histogram("sluice.xds.publication.cpu", "CPU time of the publisher thread in each publication")
        .register(registry);
  }

  /** A timer with a histogram from 1 ms to 30 s, for Prometheus' histogram_quantile. */
  private static Timer.Builder histogram(String name, String description) {
    return Timer.builder(name)
        .description(description)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(30));
  }

  /** Metrics nobody reads, for tests that build the server by hand. */
  static XdsMetrics unregistered() {
    return new XdsMetrics(new SimpleMeterRegistry(), System::nanoTime);
  }

  /** Counts the connected proxies of each role from the live streams. */
  void gaugeConnected(StreamRegistry streams) {
    for (ProxyRole role : ProxyRole.values()) {
      Gauge.builder("sluice.xds.connected.proxies", streams, s -> s.streams().stream()
              .filter(st -> st.node() != null && st.group().role() == role).count())
          .description("xDS streams open now, by the proxy's role")
          .tag("role", role.wireName())
          .register(registry);
    }
  }

  /** One publication took {@code wall}, and {@code cpu} of the publisher thread (null when the JVM cannot tell). */
  void publication(Duration wall, Duration cpu) {
    publications.increment();
    publicationWall.record(wall);
    if (cpu != null) {
      publicationCpu.record(cpu);
    }
  }

  void pushed(String typeUrl) {
    pushes.computeIfAbsent(typeUrl, url -> Counter.builder("sluice.xds.pushes")
        .description("xDS responses sent, by type").tag("type", type(url)).register(registry)).increment();
  }

  void rejected(String typeUrl) {
    rejects.computeIfAbsent(type(typeUrl), t -> Counter.builder("sluice.xds.rejects")
        .description("NACKs received, by type").tag("type", t).register(registry)).increment();
  }

  /** A group's snapshot changed the version of a type. */
  void published(ProxyGroup group, String typeUrl, String version) {
    published.computeIfAbsent(group, g -> new ConcurrentHashMap<>()).put(typeUrl, new Published(version, nanoTime.getAsLong()));
  }

  /**
   * A stream of a group acked a version it did not hold before: when it is the group's latest
   * published one, the time since its publication is one proxy's convergence.
   */
  void acked(ProxyGroup group, String typeUrl, String version) {
    Published p = published.getOrDefault(group, Map.of()).get(typeUrl);
    if (p != null && p.version().equals(version)) {
      convergence.computeIfAbsent(type(typeUrl), t -> histogram("sluice.xds.convergence",
              "From a snapshot's publication to a proxy's ACK of it").tag("type", t).register(registry))
          .record(Duration.ofNanos(nanoTime.getAsLong() - p.atNanos()));
    }
  }

  static String type(String typeUrl) {
    String name = typeUrl.substring(typeUrl.lastIndexOf('.') + 1);
    return switch (name) {
      case "Cluster" -> "cds";
      case "ClusterLoadAssignment" -> "eds";
      case "Listener" -> "lds";
      case "RouteConfiguration" -> "rds";
      case "Secret" -> "sds";
      default -> name.toLowerCase(Locale.ROOT);
    };
  }
}
