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

/**
 * java-control-plane's snapshot cache with one trap removed. In ADS mode a watch that names a
 * resource the snapshot does not have yet (a gRPC client dialing a host before its route exists)
 * gets no response, rightly; but the next snapshot that still lacks the name discards the watch
 * without answering it, and the client, which sends nothing until it is answered, never hears of
 * the resource when it does arrive. Here such watches are set aside while the cache answers the
 * others, and kept open.
 */
final class ParkingSnapshotCache<T> extends SimpleCache<T> {

  ParkingSnapshotCache(NodeGroup<T> groups) {
    super(groups);
  }

  @Override
  protected void respondWithSpecificOrder(T group, Snapshot previous, Snapshot snapshot,
      Map<ResourceType, CacheStatusInfo<T>> statusMap, Map<ResourceType, DeltaCacheStatusInfo<T>> deltaStatusMap) {
    Map<CacheStatusInfo<T>, Map<Long, Watch>> parked = new HashMap<>();
    statusMap.values().forEach(status -> status.watchesRemoveIf((id, watch) -> {
      if (waitsForMissing(watch, snapshot)) {
        parked.computeIfAbsent(status, s -> new HashMap<>()).put(id, watch);
        return true;
      }
      return false;
    }));
    try {
      super.respondWithSpecificOrder(group, previous, snapshot, statusMap, deltaStatusMap);
    } finally {
      parked.forEach((status, watches) -> watches.forEach(status::setWatch));
    }
  }

  private static boolean waitsForMissing(Watch watch, Snapshot snapshot) {
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
