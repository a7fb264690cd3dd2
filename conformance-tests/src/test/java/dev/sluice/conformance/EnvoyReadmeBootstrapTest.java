package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The README's plaintext Envoy bootstrap, as a user copies it, runs a working gateway. Only what
 * names this machine changes: the control plane's address ({@code sluice.example}, a name, becomes
 * 127.0.0.1, which Envoy's STRICT_DNS takes as well) and the ports the test was given.
 */
class EnvoyReadmeBootstrapTest {
  static final String NODE = "gateway-1";
  static int listenerPort;

  @RegisterExtension static final EnvoySuite suite = EnvoySuite.gateway(NODE).withEnvoy(cp -> {
    listenerPort = ControlPlane.freePort();
    String yaml = Readme.block("yaml", "sluice.role: gateway")
        .replace("sluice.example", "127.0.0.1")
        .replace("port_value: 18000", "port_value: " + cp.xdsPort())
        .replace("sluice.listener_port: 10000", "sluice.listener_port: " + listenerPort);
    return EnvoyGateway.startWithYaml(NODE, yaml, listenerPort);
  });

  @Test
  @DisplayName("README's gateway bootstrap, unedited but for addresses")
  void readmeBootstrap_runsAGatewayThatServesARoute() throws Exception {
    try (HttpBackend v1 = new HttpBackend("v1")) {
      ControlPlane.Response r = suite.cp().put("/api/v1/namespaces/ml/modelroutes/readme", "application/json", """
          {"spec": {"hosts": ["readme.ml"], "port": 8080,
            "versions": [{"name": "v1", "weight": 100, "endpoints": ["%s"]}]}}
          """.formatted(v1.endpoint()));
      assertThat(r.status()).isEqualTo(201);
      suite.envoy().awaitFirst200("readme.ml", Duration.ofSeconds(30));
      assertThat(suite.envoy().get("readme.ml:8080").body()).isEqualTo("v1");
      assertThat(ProxyStatus.of(suite.cp(), NODE).hasAckedAll()).isTrue();
    }
  }
}
