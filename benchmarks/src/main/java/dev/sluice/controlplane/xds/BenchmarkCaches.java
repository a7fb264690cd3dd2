package dev.sluice.controlplane.xds;

import dev.sluice.translate.ProxyGroup;
import dev.sluice.translate.XdsResources;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;

/**
 * The benchmarks' way to the package-private snapshot cache and snapshot builder, so that they
 * measure what the control plane runs without the production classes being made public. It lives
 * in the benchmarks module under the production package name, which the class path allows.
 */
public final class BenchmarkCaches {
  private BenchmarkCaches() {}

  /** The cache the control plane serves from, grouping proxies by their node as it does. */
  public static SimpleCache<ProxyGroup> snapshotCache() {
    return new ParkingSnapshotCache<>(new ProxyGroups());
  }

  /** java-control-plane's cache alone, without what {@link ParkingSnapshotCache} adds: to tell the two apart. */
  public static SimpleCache<ProxyGroup> plainSnapshotCache() {
    return new SimpleCache<>(new ProxyGroups());
  }

  /** The snapshot the publisher sets for these resources when it takes the whole change at once. */
  public static Snapshot snapshot(XdsResources resources) {
    return SnapshotPublisher.snapshot(resources.clusters(), resources.endpoints(), resources.listeners(),
        resources.routes());
  }
}
