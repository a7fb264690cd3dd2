package dev.sluice.controlplane.xds;

import io.envoyproxy.controlplane.cache.CacheStatusInfo;
import io.envoyproxy.controlplane.cache.DeltaCacheStatusInfo;
import io.envoyproxy.controlplane.cache.NodeGroup;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.Watch;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * java-control-plane's snapshot cache with one trap removed. In ADS mode a watch that names a
 * resource the snapshot does not have yet (a gRPC client dialing a host before its route exists)
 * gets no response, rightly; but the next snapshot that still lacks the name discards the watch
 * without answering it, and the client, which sends nothing until it is answered, never hears of
 * the resource when it does arrive. Here such watches are kept open.
 *
 * <p>The decision is taken per watch inside the cache's own sweep of its watches, not in a pass of
 * its own before it: the cache opens watches while it answers a snapshot (it holds no lock then),
 * and a watch opened between a separate check and the sweep was discarded all the same. That
 * happened to clients that subscribed in the moment between a route's write and its publication.
 */
final class ParkingSnapshotCache<T> extends SimpleCache<T> {

  ParkingSnapshotCache(NodeGroup<T> groups) {
    super(groups);
  }

  @Override
  protected void respondWithSpecificOrder(T group, Snapshot previous, Snapshot snapshot,
      Map<ResourceType, CacheStatusInfo<T>> statusMap, Map<ResourceType, DeltaCacheStatusInfo<T>> deltaStatusMap) {
    Map<ResourceType, CacheStatusInfo<T>> parking = new HashMap<>();
    statusMap.forEach((type, status) -> parking.put(type, new Parking<>(status, snapshot)));
    super.respondWithSpecificOrder(group, previous, snapshot, parking, deltaStatusMap);
  }

  /** The watches of one type, as the cache sweeps them: a watch waiting for a missing name is never discarded. */
  private static final class Parking<T> extends CacheStatusInfo<T> {
    private final CacheStatusInfo<T> watches;
    private final Snapshot snapshot;

    Parking(CacheStatusInfo<T> watches, Snapshot snapshot) {
      super(watches.nodeGroup());
      this.watches = watches;
      this.snapshot = snapshot;
    }

    @Override
    public void watchesRemoveIf(BiFunction<Long, Watch, Boolean> filter) {
      watches.watchesRemoveIf((id, watch) -> !waitsForMissing(watch, snapshot) && filter.apply(id, watch));
    }
  }

  static boolean waitsForMissing(Watch watch, Snapshot snapshot) {
    var request = watch.request();
    if (!watch.ads() || request.getResourceNamesList().isEmpty()) {
      return false;
    }
    if (request.getVersionInfo().equals(snapshot.version(request.getResourceType(), request.getResourceNamesList()))) {
      return false; // holds this version already: the cache leaves the watch open and unanswered anyway
    }
    if (watch.allowDefaultEmptyEdsUpdate() && request.getResourceType() == ResourceType.ENDPOINT) {
      return false; // the cache answers those with empty assignments
    }
    var present = snapshot.versionedResources(request.getResourceType());
    return !present.keySet().containsAll(request.getResourceNamesList());
  }
}
