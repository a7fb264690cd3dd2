package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.translate.ProxyGroup;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A configuration grpc-java rejects is NACKed once and not sent again on that stream until a newer
 * version exists. Without the guard, java-control-plane's cache answers each NACK with the same
 * rejected snapshot, thousands of times a second.
 */
class NackTest {
  private static final Logger log = LoggerFactory.getLogger(NackTest.class);

  @TempDir Path store;

  @Test
  @SuppressWarnings("unchecked")
  void nackedVersion_isNotResentToTheSameStream_andANewerVersionStillArrives() throws Exception {
    try (ControlPlane cp = ControlPlane.start(store);
        TaggedBackend v1 = new TaggedBackend("v1");
        ProxylessClient client = new ProxylessClient(cp.grpcBootstrap("nack-client"), "nack.ml")) {
      cp.put("/api/v1/namespaces/ml/modelroutes/nack", "application/json", Routes.single("nack.ml", v1.endpoint(), null));
      assertThat(client.call()).isEqualTo("v1");
      ProxyStatus good = ProxyStatus.await(cp, "nack-client", ProxyStatus::hasAckedAll);

      // A cluster grpc-java cannot accept (MAGLEV is not a policy it implements), published past
      // the translator on purpose.
      SimpleCache<ProxyGroup> cache = cp.bean(SimpleCache.class);
      Snapshot current = cache.getSnapshot(ProxyGroup.PROXYLESS);
      List<Cluster> broken = new ArrayList<>();
      current.clusters().resources().values().forEach(c -> broken.add(c.toBuilder().setLbPolicy(Cluster.LbPolicy.MAGLEV).build()));
      cache.setSnapshot(ProxyGroup.PROXYLESS, Snapshot.create(
          broken, "rejected-1",
          current.endpoints().resources().values(), current.endpoints().version(),
          current.listeners().resources().values(), current.listeners().version(),
          current.routes().resources().values(), current.routes().version(),
          List.of(), current.secrets().version()));

      ProxyStatus nacked = ProxyStatus.await(cp, "nack-client", s -> s.nacks() >= 1);
      long cdsResponses = nacked.responses(ProxyStatus.CDS);
      Thread.sleep(2_000); // a window in which the unguarded cache re-sends thousands of times
      ProxyStatus after = ProxyStatus.of(cp, "nack-client");
      log.info("NACKs on the stream after 2 s: {}; CDS responses {} -> {}", after.nacks(), cdsResponses, after.responses(ProxyStatus.CDS));
      assertThat(after.nacks()).isEqualTo(1);
      assertThat(after.responses(ProxyStatus.CDS)).isEqualTo(cdsResponses);
      assertThat(after.streamId()).isEqualTo(good.streamId());
      assertThat(client.call()).as("the client keeps its last good configuration").isEqualTo("v1");

      // A newer version (the publisher's good one) is still delivered and acked.
      cp.put("/api/v1/namespaces/ml/modelroutes/nack", "application/json",
          Routes.single("nack.ml", v1.endpoint(), "{\"attempts\": 1, \"on\": [\"unavailable\"]}"));
      ProxyStatus recovered = ProxyStatus.await(cp, "nack-client",
          s -> good.acked(ProxyStatus.CDS).equals(s.acked(ProxyStatus.CDS)) && !good.acked(ProxyStatus.RDS).equals(s.acked(ProxyStatus.RDS)));
      assertThat(recovered.nacks()).isEqualTo(1);
      assertThat(client.call()).isEqualTo("v1");
    }
  }
}
