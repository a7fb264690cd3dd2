package dev.sluice.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.controlplane.cache.CacheStatusInfo;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.Response;
import io.envoyproxy.controlplane.cache.Watch;
import io.envoyproxy.controlplane.cache.XdsRequest;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * A proxyless client that subscribes to a host in the moment between its route's write and its
 * publication opens its watch while the cache answers a snapshot that lacks the host. That watch
 * must stay open and be answered by the snapshot that has it (gRPC C-core waited 15 s and then
 * reported "LDS resource does not exist" when it was dropped).
 */
class ParkingSnapshotCacheTest {
  static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";

  @Test
  void watchOpenedWhileASnapshotWithoutItsNameIsAnswered_staysOpen_andGetsTheNameWhenItArrives() {
    ParkingSnapshotCache<String> cache = new ParkingSnapshotCache<>(node -> "proxyless");
    List<Response> received = new ArrayList<>();
    Watch late = new Watch(true, false, XdsRequest.create(DiscoveryRequest.newBuilder()
        .setTypeUrl(LDS).addResourceNames("late.ml").build()), received::add);
    // The cache opens watches without a lock while it answers: this one lands right after the
    // cache looked at the watches it had.
    OpenedDuringAnswer listeners = new OpenedDuringAnswer(7L, late);
    Map<ResourceType, CacheStatusInfo<String>> statuses = Map.of(ResourceType.LISTENER, listeners);

    Snapshot without = snapshot("1", "other.ml");
    cache.respondWithSpecificOrder("proxyless", null, without, statuses, Map.of());

    assertThat(listeners.watchIds()).as("the watch for late.ml is still open").containsExactly(7L);
    assertThat(received).isEmpty();

    cache.respondWithSpecificOrder("proxyless", without, snapshot("2", "other.ml", "late.ml"), statuses, Map.of());

    assertThat(received).hasSize(1);
    assertThat(received.get(0).resources()).extracting(r -> ((Listener) r).getName()).containsExactly("late.ml");
    assertThat(listeners.watchIds()).as("answered, so closed").isEmpty();
  }

  private static Snapshot snapshot(String version, String... listenerNames) {
    List<Listener> listeners = new ArrayList<>();
    for (String name : listenerNames) {
      listeners.add(Listener.newBuilder().setName(name).build());
    }
    return Snapshot.create(List.of(), version, List.of(), version, listeners, version, List.of(), version, List.of(), version);
  }

  /** Watches of one type where a watch is opened just after the first sweep over them. */
  private static final class OpenedDuringAnswer extends CacheStatusInfo<String> {
    private final long id;
    private Watch pending;

    OpenedDuringAnswer(long id, Watch watch) {
      super("proxyless");
      this.id = id;
      this.pending = watch;
    }

    @Override
    public void watchesRemoveIf(BiFunction<Long, Watch, Boolean> filter) {
      super.watchesRemoveIf(filter);
      if (pending != null) {
        setWatch(id, pending);
        pending = null;
      }
    }
  }
}
