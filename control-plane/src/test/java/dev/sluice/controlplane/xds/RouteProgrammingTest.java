package dev.sluice.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.rpc.Status;
import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelRouteStatus;
import dev.sluice.translate.ProxyGroup;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A route's {@code Programmed} status counted over the connected proxies, from what each acked or
 * rejected and what each published version carried.
 */
class RouteProgrammingTest {
  static final ProxyGroup GROUP = NodeOnFirstRequestTest.GATEWAY_10001;
  static final String RDS = NodeOnFirstRequestTest.RDS;

  final StreamRegistry streams = new StreamRegistry(Clock.systemUTC(), g -> {});
  final PublishedEpochs epochs = new PublishedEpochs();
  final RouteProgramming programming = new RouteProgramming(streams, epochs);
  final ModelRoute route = FakeTimePublisher.route("v1", "10.0.0.1:9000");

  ModelRoute atGeneration(long generation) {
    return route.withMetadata(route.metadata().withServerFields("1", generation));
  }

  /** The group was sent a snapshot whose routes version is {@code rdsVersion}, carrying the route at a generation. */
  void published(String rdsVersion, long generation) {
    Map<String, String> versions = new HashMap<>();
    for (String type : PublishedEpochs.TYPES) {
      versions.put(type, type.equals(RDS) ? rdsVersion : "same");
    }
    epochs.record(GROUP, versions, Map.of(route.key(), new PublishedEpochs.Served(generation, null)));
  }

  /** Proxy {@code id} was sent the routes at {@code version}, then acked or rejected them. */
  void proxy(long id, String version, boolean rejects) throws Exception {
    var node = NodeOnFirstRequestTest.gatewayNode().toBuilder().setId("envoy-" + id).build();
    streams.onStreamOpen(id, RDS);
    streams.onV3StreamRequest(id, DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(RDS).build());
    streams.onV3StreamResponse(id, null, DiscoveryResponse.newBuilder().setTypeUrl(RDS).setVersionInfo(version)
        .setNonce("n" + id).addResources(Any.getDefaultInstance()).build());
    var reply = DiscoveryRequest.newBuilder().setTypeUrl(RDS).setResponseNonce("n" + id);
    if (rejects) {
      reply.setVersionInfo("").setErrorDetail(Status.newBuilder().setMessage("no such cluster"));
    } else {
      reply.setVersionInfo(version);
    }
    streams.onV3StreamRequest(id, reply.build());
  }

  static void assertCounts(RouteProgramming.Programmed programmed, int acked, int nacked, int pending, String reason) {
    assertThat(programmed.counts()).isEqualTo(new ModelRouteStatus.ProxyCounts(acked, nacked, pending));
    assertThat(programmed.condition().reason()).isEqualTo(reason);
  }

  @Test
  void eachProxyCountsAsAckedRejectedOrPending() throws Exception {
    published("r1", 1);
    published("r2", 2);
    proxy(1, "r2", false);
    proxy(2, "r2", true);
    proxy(3, "r1", false);

    var programmed = programming.of(atGeneration(2));

    assertCounts(programmed, 1, 1, 1, "Rejected");
    assertThat(programmed.condition().message()).contains("proxy envoy-2 rejected rds version r2: no such cluster");
  }

  @Test
  void aGenerationNoSnapshotCarriedYet_isPendingOnEveryProxyOfTheGroup() throws Exception {
    published("r1", 1);
    proxy(1, "r1", false);
    proxy(2, "r1", true);
    proxy(3, "r0", false);

    assertCounts(programming.of(atGeneration(2)), 0, 0, 3, "Pending");
    assertThat(programming.of(atGeneration(1)).counts().acked()).isEqualTo(1);
  }

  @Test
  void aRouteTheGroupWasNeverSent_hasNoProxies() throws Exception {
    proxy(1, "r1", false);

    assertThat(programming.of(atGeneration(1)).condition().reason()).isEqualTo("NoProxies");
  }
}
