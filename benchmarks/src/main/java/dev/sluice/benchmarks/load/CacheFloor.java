package dev.sluice.benchmarks.load;

import dev.sluice.translate.ContentVersion;
import dev.sluice.translate.XdsResources;
import io.envoyproxy.controlplane.cache.StatusInfo;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Floor (b): java-control-plane as it comes (its SimpleCache and V3DiscoveryServer, nothing of
 * Sluice's around them) with both snapshots built before any proxy connects; a change is one
 * {@code setSnapshot}. Same resources and versions as Sluice serves.
 */
final class CacheFloor implements LoadServer.Target {
  private static final String GROUP = "gateway";
  private final SimpleCache<String> cache = new SimpleCache<>(node -> GROUP);
  private final Snapshot[] snapshots = new Snapshot[2];
  private final Server server;
  private int state;

  private CacheFloor(FloorConfig config) throws IOException {
    snapshots[0] = snapshot(config.before());
    snapshots[1] = snapshot(config.after());
    cache.setSnapshot(GROUP, snapshots[0]);
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new V3DiscoveryServer(cache).getAggregatedDiscoveryServiceImpl()).build().start();
  }

  static CacheFloor start(Workload workload) throws IOException {
    return new CacheFloor(FloorConfig.of(workload));
  }

  private static Snapshot snapshot(XdsResources r) {
    return Snapshot.create(r.clusters(), ContentVersion.of(r.clusters()), r.endpoints(), ContentVersion.of(r.endpoints()),
        r.listeners(), ContentVersion.of(r.listeners()), r.routes(), ContentVersion.of(r.routes()),
        List.of(), ContentVersion.of(List.of()));
  }

  @Override
  public int xdsPort() {
    return server.getPort();
  }

  @Override
  public long change() {
    state = 1 - state;
    long start = System.nanoTime();
    cache.setSnapshot(GROUP, snapshots[state]);
    return start;
  }

  @Override
  public long watches() {
    StatusInfo<String> status = cache.statusInfo(GROUP);
    return status == null ? 0 : status.numWatches();
  }

  @Override
  public void close() {
    server.shutdownNow();
  }
}
