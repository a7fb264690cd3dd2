package dev.sluice.benchmarks;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.sluice.controlplane.xds.BenchmarkCaches;
import dev.sluice.model.ModelRoute;
import dev.sluice.translate.EnvoyTranslator;
import dev.sluice.translate.ProxyGroup;
import dev.sluice.translate.Translation;
import io.envoyproxy.controlplane.cache.DeltaResponse;
import io.envoyproxy.controlplane.cache.DeltaXdsRequest;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.Resources.V3;
import io.envoyproxy.controlplane.cache.Response;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.controlplane.cache.XdsRequest;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.slf4j.LoggerFactory;

/**
 * B4, second half: the cost of publishing a snapshot while many watches are open, in the cache the
 * control plane serves from ({@code ParkingSnapshotCache} over java-control-plane's
 * {@code SimpleCache}), without gRPC. The gateway group holds {@code routes} routes; one route's
 * weights change (90/10 to 80/20 and back), so only the route configuration's version moves, as
 * after {@code PUT .../weights}.
 *
 * <p>{@link #publish}: one operation is one {@code setSnapshot(group, snapshot)} with {@code watches}
 * open RDS watches, one per simulated gateway, each waiting on the previous version; the cache answers
 * every one of them. Divide by {@code watches} for the cost per watch. Answered watches are gone
 * (state-of-the-world watches are one-shot, and so are delta watches once answered), so they are
 * opened again before each operation in a {@code Level.Invocation} set-up, outside the time. That
 * level's own overhead (two timestamps per call) is noise here, where an operation takes from a
 * fraction of a millisecond to tens of milliseconds.
 *
 * <p>{@link #reopenAndPublish}: the same publication with the re-opening inside the time, which is
 * what the cache does for one change in all: each proxy's request after the previous answer opens a
 * watch, then the publication answers it. The difference of the two is the cost of opening watches.
 *
 * <p>Parameters beyond size, off the default run (pass them with {@code -p}):
 * <ul>
 *   <li>{@code protocol=delta}: incremental watches ({@code createDeltaWatch}) instead of state of the
 *       world.
 *   <li>{@code shape=ads}: each gateway also holds its CDS, EDS and LDS watches, idle at the current
 *       versions, as an Envoy on one ADS stream does. They stay open across publications.
 *   <li>{@code consumer=serialize}: each answer is turned into the response message and its bytes,
 *       as java-control-plane's stream observer does on the publishing thread before gRPC takes it
 *       ({@code V3DiscoveryServer} with its default direct executor, which is how Sluice builds it).
 *       The default, {@code count}, only records the answer, so the cache's own work is what is
 *       timed.
 *   <li>{@code cacheType=plain}: java-control-plane's {@code SimpleCache} without Sluice's parking of
 *       watches that wait for a missing resource; the difference is Sluice's own cost.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 4, time = 1)
public class PublishToWatchesBenchmark {

  /** The cache with its two snapshots, and every request the simulated gateways send. */
  @State(Scope.Benchmark)
  public static class Cache {
    @Param({"1000", "10000"})
    public int watches;

    @Param({"5", "300"})
    public int routes;

    @Param({"sotw", "delta"})
    public String protocol;

    @Param({"rds"})
    public String shape;

    @Param({"count"})
    public String consumer;

    @Param({"parking"})
    public String cacheType;

    private final ProxyGroup group = ProxyGroup.DEFAULT_GATEWAY;
    private SimpleCache<ProxyGroup> cache;
    /** Snapshots 0 and 1 differ in one route's weights: in the route configuration only. */
    private final Snapshot[] snapshots = new Snapshot[2];
    private int current;
    private Set<String> routeConfigNames;
    /** RDS requests per gateway, acknowledging snapshot 0 or 1. */
    private final XdsRequest[][] sotwRequests = new XdsRequest[2][];
    private DeltaXdsRequest[] deltaRequests;
    private Answers answers;

    @Setup(Level.Trial)
    public void setUp() {
      // Spring Boot runs the control plane at INFO; bare Logback would log every answer at DEBUG.
      ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
          .setLevel(ch.qos.logback.classic.Level.INFO);
      List<ModelRoute> all = BenchmarkRoutes.routes(routes);
      snapshots[0] = snapshotOf(all);
      all.set(0, BenchmarkRoutes.route(0, 80));
      snapshots[1] = snapshotOf(all);
      for (ResourceType type : List.of(ResourceType.CLUSTER, ResourceType.ENDPOINT, ResourceType.LISTENER)) {
        if (!snapshots[0].version(type).equals(snapshots[1].version(type))) {
          throw new IllegalStateException("a weight change should move routes only, but moved " + type);
        }
      }
      if (snapshots[0].version(ResourceType.ROUTE).equals(snapshots[1].version(ResourceType.ROUTE))) {
        throw new IllegalStateException("the two snapshots have the same routes");
      }
      routeConfigNames = Set.copyOf(snapshots[0].routes().resources().keySet());
      answers = consumer.equals("serialize") ? new Serializing() : new Answers();

      cache = cacheType.equals("plain") ? BenchmarkCaches.plainSnapshotCache() : BenchmarkCaches.snapshotCache();
      cache.setSnapshot(group, snapshots[0]);
      for (int v = 0; v < 2; v++) {
        sotwRequests[v] = new XdsRequest[watches];
      }
      deltaRequests = new DeltaXdsRequest[watches];
      for (int i = 0; i < watches; i++) {
        Node node = gatewayNode(i);
        for (int v = 0; v < 2; v++) {
          sotwRequests[v][i] = XdsRequest.create(DiscoveryRequest.newBuilder().setNode(node)
              .setTypeUrl(V3.ROUTE_TYPE_URL).setVersionInfo(snapshots[v].routes().version())
              .addAllResourceNames(routeConfigNames).setResponseNonce("1").build());
        }
        deltaRequests[i] = DeltaXdsRequest.create(DeltaDiscoveryRequest.newBuilder().setNode(node)
            .setTypeUrl(V3.ROUTE_TYPE_URL).addAllResourceNamesSubscribe(routeConfigNames).build());
        if (shape.equals("ads")) {
          openIdleWatches(node);
        }
      }
      System.out.printf("%n[B4] %d routes, gateway group: %d route configuration(s), RDS %d bytes; %d %s %s watches%n",
          routes, routeConfigNames.size(), snapshots[0].routes().resources().values().stream()
              .mapToInt(Message::getSerializedSize).sum(), watches, protocol, shape);
    }

    private static Snapshot snapshotOf(List<ModelRoute> routes) {
      Translation t = EnvoyTranslator.STANDARD.translateAll(routes, ProxyGroup.DEFAULT_GATEWAY);
      if (!t.rejected().isEmpty()) {
        throw new IllegalStateException("benchmark routes rejected: " + t.rejected());
      }
      return BenchmarkCaches.snapshot(t.resources());
    }

    private static Node gatewayNode(int i) {
      return Node.newBuilder().setId("gateway-" + i).setCluster("gateways")
          .setMetadata(Struct.newBuilder()
              .putFields("sluice.role", Value.newBuilder().setStringValue("gateway").build()))
          .build();
    }

    /** CDS and LDS (wildcard) and EDS (every cluster), at the current versions: never answered here. */
    private void openIdleWatches(Node node) {
      Consumer<Response> unexpectedSotw = r -> {
        throw new IllegalStateException("an idle " + r.request().getTypeUrl() + " watch was answered");
      };
      Consumer<DeltaResponse> unexpectedDelta = r -> {
        throw new IllegalStateException("an idle " + r.request().getTypeUrl() + " delta watch was answered");
      };
      Snapshot s = snapshots[current];
      for (ResourceType type : List.of(ResourceType.CLUSTER, ResourceType.ENDPOINT, ResourceType.LISTENER)) {
        String typeUrl = switch (type) {
          case CLUSTER -> V3.CLUSTER_TYPE_URL;
          case ENDPOINT -> V3.ENDPOINT_TYPE_URL;
          default -> V3.LISTENER_TYPE_URL;
        };
        List<String> names = type == ResourceType.ENDPOINT ? List.copyOf(s.resources(type).keySet()) : List.of();
        if (protocol.equals("delta")) {
          cache.createDeltaWatch(
              DeltaXdsRequest.create(DeltaDiscoveryRequest.newBuilder().setNode(node).setTypeUrl(typeUrl)
                  .addAllResourceNamesSubscribe(names).build()),
              s.version(type), versionsOf(s.versionedResources(type)), Set.of(), names.isEmpty(), unexpectedDelta,
              false);
        } else {
          cache.createWatch(true,
              XdsRequest.create(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(typeUrl)
                  .setVersionInfo(s.version(type)).addAllResourceNames(names).setResponseNonce("1").build()),
              Set.copyOf(names), unexpectedSotw, false, false);
        }
      }
    }

    private static Map<String, String> versionsOf(Map<String, VersionedResource<?>> resources) {
      Map<String, String> out = new HashMap<>();
      resources.forEach((name, r) -> out.put(name, r.version()));
      return out;
    }

    /** Opens one RDS watch per gateway, each having acknowledged the current snapshot. */
    void openWatches() {
      answers.reset();
      if (protocol.equals("delta")) {
        Snapshot s = snapshots[current];
        String version = s.routes().version();
        Map<String, String> tracked = versionsOf(s.versionedResources(ResourceType.ROUTE));
        for (DeltaXdsRequest request : deltaRequests) {
          cache.createDeltaWatch(request, version, tracked, Set.of(), false, answers.delta, false);
        }
      } else {
        for (XdsRequest request : sotwRequests[current]) {
          cache.createWatch(true, request, routeConfigNames, answers.sotw, false, false);
        }
      }
    }

    /** Sets the other snapshot: the one-route change. */
    int publishNext() {
      current ^= 1;
      cache.setSnapshot(group, snapshots[current]);
      return answers.count;
    }

    void checkEveryWatchAnswered() {
      if (answers.count != watches) {
        throw new IllegalStateException(answers.count + " of " + watches + " watches were answered");
      }
    }
  }

  /** The RDS watches, opened again before each publication, outside the time. */
  @State(Scope.Benchmark)
  public static class OpenWatches {
    @Setup(Level.Invocation)
    public void open(Cache cache) {
      cache.openWatches();
    }

    @TearDown(Level.Invocation)
    public void check(Cache cache) {
      cache.checkEveryWatchAnswered();
    }
  }

  /** Where answers go instead of a gRPC stream: counted, and the last one kept so it is built. */
  static class Answers {
    int count;
    Object last;
    final Consumer<Response> sotw = this::sotw;
    final Consumer<DeltaResponse> delta = this::delta;

    void reset() {
      count = 0;
    }

    void sotw(Response response) {
      record(response);
    }

    void delta(DeltaResponse response) {
      record(response);
    }

    final void record(Object answer) {
      count++;
      last = answer;
    }
  }

  /**
   * What java-control-plane's stream observers do with an answer before gRPC: pack each resource in an
   * {@code Any}, build the response, and (as gRPC's marshaller then does) write its bytes.
   */
  static final class Serializing extends Answers {
    @Override
    void sotw(Response response) {
      DiscoveryResponse.Builder b = DiscoveryResponse.newBuilder().setNonce(Integer.toString(count))
          .setVersionInfo(response.version()).setTypeUrl(response.request().getTypeUrl());
      response.resources().forEach(r -> b.addResources(Any.pack(r)));
      record(b.build().toByteArray());
    }

    @Override
    void delta(DeltaResponse response) {
      DeltaDiscoveryResponse.Builder b = DeltaDiscoveryResponse.newBuilder().setNonce(Integer.toString(count))
          .setSystemVersionInfo(response.version()).setTypeUrl(response.request().getTypeUrl())
          .addAllRemovedResources(response.removedResources());
      response.resources().forEach((name, r) -> b.addResources(Resource.newBuilder().setName(name)
          .setVersion(r.version()).setResource(Any.pack(r.resource()))));
      record(b.build().toByteArray());
    }
  }

  @Benchmark
  public int publish(Cache cache, OpenWatches open) {
    return cache.publishNext();
  }

  @Benchmark
  public int reopenAndPublish(Cache cache) {
    cache.openWatches();
    int answered = cache.publishNext();
    cache.checkEveryWatchAnswered();
    return answered;
  }
}
