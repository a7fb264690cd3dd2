package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real HTTP traffic through a real Envoy gateway configured only by what Sluice pushes over ADS.
 * Where no Docker engine answers, nothing is started and the test is skipped.
 */
class EnvoyGatewaySplitTest {
  private static final Logger log = LoggerFactory.getLogger(EnvoyGatewaySplitTest.class);
  static final String ROUTES = "/api/v1/namespaces/ml/modelroutes/";

  @TempDir static Path store;
  static boolean docker;
  static ControlPlane cp;
  static HttpBackend v1;
  static HttpBackend v2;
  static EnvoyGateway envoy;

  /**
   * Probes Docker before anything heavy starts. The skip itself is in {@link #requireDocker()}:
   * Surefire 3.5 drops classes aborted in {@code @BeforeAll} from its report (SUREFIRE-2300), so
   * an assumption here would leave no trace of the skip or its reason.
   */
  @BeforeAll
  static void start() {
    docker = EnvoyGateway.dockerAvailable();
    if (!docker) {
      return;
    }
    cp = ControlPlane.start(store);
    v1 = new HttpBackend("v1");
    v2 = new HttpBackend("v2");
    envoy = EnvoyGateway.start(cp, "envoy-gateway-1");
  }

  @BeforeEach
  void requireDocker() {
    Assumptions.assumeTrue(docker, EnvoyGateway.NO_DOCKER);
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {envoy, v1, v2, cp}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        log.warn("could not close {}", c, e);
      }
    }
  }

  @Test
  void realEnvoyGateway_splitsNinetyTenWithinBinomialBound() throws Exception {
    String route = """
        {"spec": {"hosts": ["split.ml"], "port": 8080,
          "versions": [{"name": "v1", "weight": 90, "endpoints": ["%s"]},
                       {"name": "v2", "weight": 10, "endpoints": ["%s"]}]}}
        """.formatted(v1.endpoint(), v2.endpoint());
    assertThat(cp.put(ROUTES + "split", "application/json", route).status()).isEqualTo(201);

    envoy.awaitFirst200("split.ml", Duration.ofSeconds(30));

    int n = 2000;
    int onV1 = 0;
    for (int i = 0; i < n; i++) {
      EnvoyGateway.Reply r = envoy.get("split.ml");
      assertThat(r.status()).as("status of request %d", i).isEqualTo(200);
      switch (r.body()) {
        case "v1" -> onV1++;
        case "v2" -> { }
        default -> fail("request %d answered by neither version: '%s'", i, r.body());
      }
    }
    log.info("Envoy 90/10 split over {} requests: v1 {} v2 {}", n, onV1, n - onV1);
    Binomial.assertWithin999("requests on v1", onV1, n, 0.9);
  }
}
