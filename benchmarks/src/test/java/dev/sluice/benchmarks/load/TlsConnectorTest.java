package dev.sluice.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@code tls} plans' proxies reach a real Sluice on its TLS port the way bootstrapped Envoys do:
 * the serving certificate checked against the trust bundle, and a bootstrap token pinned to each
 * proxy's node id. Sluice refuses a call without a valid token, so a proxy that is configured proves
 * the token went with it.
 */
class TlsConnectorTest {

  @Test
  void sotwAndDeltaProxies_areConfiguredOverTheTlsPort_andSeeAChange() throws Exception {
    try (SluiceServer server = SluiceServer.start(new Workload(4), 100)) {
      String[] secure = server.secure().split(" ");
      String bundle = new String(Base64.getDecoder().decode(secure[1]), java.nio.charset.StandardCharsets.US_ASCII);
      assertThat(bundle).startsWith("-----BEGIN CERTIFICATE-----");
      assertThat(Integer.parseInt(secure[0])).isNotEqualTo(server.xdsPort());
      Connector tls = Connector.tls(Integer.parseInt(secure[0]), bundle, server::token);

      CountDownLatch configured = new CountDownLatch(2);
      List<ManagedChannel> channels = List.of(tls.open("sotw-0"), tls.open("delta-0"));
      List<SimulatedProxy> proxies = List.of(new SotwProxy(channels.get(0), configured),
          new DeltaProxy(channels.get(1), configured));
      try {
        proxies.get(0).start("sotw-0");
        proxies.get(1).start("delta-0");
        assertThat(configured.await(60, TimeUnit.SECONDS)).as("both proxies configured over TLS").isTrue();
        assertThat(proxies).allSatisfy(p -> assertThat(p.configBytes).isGreaterThan(3_000));

        CountDownLatch changed = new CountDownLatch(2);
        proxies.forEach(p -> p.expectChange(changed));
        server.change();
        assertThat(changed.await(60, TimeUnit.SECONDS)).as("both proxies saw the change").isTrue();
      } finally {
        proxies.forEach(SimulatedProxy::close);
      }
    }
  }
}
