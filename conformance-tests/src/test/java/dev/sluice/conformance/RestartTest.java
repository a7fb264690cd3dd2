package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Proxies outlive the control plane, and a restart on the same store changes nothing for them. */
class RestartTest {
  private static final Logger log = LoggerFactory.getLogger(RestartTest.class);

  @TempDir Path store;

  @Test
  void stoppedControlPlane_leavesClientRouting_andRestartOnSameStoreGivesSameVersions() throws Exception {
    try (ControlPlane cp = ControlPlane.start(store);
        TaggedBackend v1 = new TaggedBackend("v1");
        TaggedBackend v2 = new TaggedBackend("v2");
        ProxylessClient client = new ProxylessClient(cp.grpcBootstrap("restart-client"), "restart.ml")) {
      cp.put("/api/v1/namespaces/ml/modelroutes/restart", "application/json",
          Routes.split("restart.ml", 50, v1.endpoint(), 50, v2.endpoint()));
      client.call();
      ProxyStatus before = ProxyStatus.await(cp, "restart-client", ProxyStatus::hasAckedAll);

      cp.stop();
      int ok = 0;
      int onV2 = 0;
      for (int i = 0; i < 400; i++) {
        String tag = client.callOrError();
        ok += tag.startsWith("error:") ? 0 : 1;
        onV2 += tag.equals("v2") ? 1 : 0;
      }
      log.info("with the control plane down: {} of 400 RPCs succeeded, {} on v2", ok, onV2);
      assertThat(ok).isEqualTo(400);
      Binomial.assertWithin("RPCs on v2 with the control plane down", onV2, 400, 0.5);

      cp.start();
      ProxyStatus after = ProxyStatus.await(cp, "restart-client", ProxyStatus::hasAckedAll);
      log.info("after restart: acked {} (before {}), responses on the new stream CDS {} EDS {} LDS {} RDS {}",
          after.ackedVersions(), before.ackedVersions(), after.responses(ProxyStatus.CDS), after.responses(ProxyStatus.EDS),
          after.responses(ProxyStatus.LDS), after.responses(ProxyStatus.RDS));
      assertThat(after.ackedVersions()).isEqualTo(before.ackedVersions());
      assertThat(client.call()).isIn("v1", "v2");
    }
  }
}
