package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.UInt32Value;
import dev.sluice.translate.EnvoyTranslator;
import dev.sluice.translate.RouteCompiler;
import dev.sluice.translate.RouteOutput;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Output that breaks Envoy's rules never leaves the control plane. The model's validation keeps
 * such output from being produced, so a compiler that breaks it on purpose stands in for a
 * translation bug: routes labelled {@code sabotage: outlier} get a cluster whose
 * {@code max_ejection_percent} is 101, over the {@code lte: 100} rule in Envoy's proto.
 */
class BrokenOutputTest {
  static final String ROUTES = "/api/v1/namespaces/ml/modelroutes/";

  @TempDir Path store;

  /** Standard translation, except for routes labelled for sabotage. */
  @Configuration(proxyBeanMethods = false)
  static class Sabotage {
    @Bean
    @Primary
    EnvoyTranslator sabotagingTranslator() {
      return new EnvoyTranslator((route, group) -> {
        RouteOutput out = RouteCompiler.STANDARD.compile(route, group);
        if (!"outlier".equals(route.metadata().labels().get("sabotage"))) {
          return out;
        }
        return new RouteOutput(
            out.clusters().stream().map(c -> c.toBuilder()
                .setOutlierDetection(c.getOutlierDetection().toBuilder().setMaxEjectionPercent(UInt32Value.of(101)))
                .build()).toList(),
            out.endpoints(), out.listeners(), out.routeConfigurations(), out.virtualHost());
      });
    }
  }

  static String route(String host, String endpoint, boolean sabotage) {
    return """
        {"metadata": {"labels": {"sabotage": "%s"}},
         "spec": {"hosts": ["%s"], "port": 8080, "protocol": "GRPC",
          "versions": [{"name": "v1", "weight": 100, "endpoints": ["%s"]}]}}
        """.formatted(sabotage ? "outlier" : "none", host, endpoint);
  }

  @Test
  void brokenOutput_isRefusedAtWrite_with422AndTheReason_andChangesNothing() throws Exception {
    try (ControlPlane cp = ControlPlane.prepare(store, Sabotage.class);
        TaggedBackend v1 = new TaggedBackend("v1")) {
      cp.start();
      assertThat(cp.put(ROUTES + "good", "application/json", route("good.ml", v1.endpoint(), false)).status())
          .isEqualTo(201);
      try (ProxylessClient client = new ProxylessClient(cp.grpcBootstrap("broken-client"), "good.ml")) {
        assertThat(client.call()).isEqualTo("v1");
        Map<String, String> before = ProxyStatus.await(cp, "broken-client", ProxyStatus::hasAckedAll).ackedVersions();

        ControlPlane.Response refused = cp.put(ROUTES + "bad", "application/json", route("bad.ml", v1.endpoint(), true));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body().toString())
            .contains("envoy.cluster[ml|bad|v1].outlier_detection.max_ejection_percent")
            .contains("uint32.lte");
        assertThat(cp.get(ROUTES + "bad").status()).isEqualTo(404);
        Thread.sleep(500); // longer than the publisher's debounce
        assertThat(ProxyStatus.of(cp, "broken-client").ackedVersions()).isEqualTo(before);
        assertThat(client.call()).isEqualTo("v1");
      }
    }
  }

  @Test
  void storedRouteWhoseOutputBreaks_isLeftOut_withAnErrorStatus_andOthersAreServed() throws Exception {
    try (TaggedBackend v1 = new TaggedBackend("v1")) {
      ControlPlane cp = ControlPlane.prepare(store);
      cp.start();
      // Stored by a Sluice that translated it cleanly...
      assertThat(cp.put(ROUTES + "older", "application/json", route("older.ml", v1.endpoint(), true)).status())
          .isEqualTo(201);
      assertThat(cp.put(ROUTES + "good", "application/json", route("good.ml", v1.endpoint(), false)).status())
          .isEqualTo(201);
      cp.stop();
      // ...then read by one whose translation of it breaks Envoy's rules.
      cp.withSources(Sabotage.class);
      cp.start();
      try (cp;
          ProxylessClient good = new ProxylessClient(cp.grpcBootstrap("good-client"), "good.ml");
          ProxylessClient older = new ProxylessClient(cp.grpcBootstrap("older-client"), "older.ml")) {
        assertThat(good.call()).isEqualTo("v1");
        // No listener for the host: grpc-java waits for one until the deadline or fails at once.
        assertThat(older.callOrError()).isIn("error:UNAVAILABLE", "error:DEADLINE_EXCEEDED");

        var status = cp.get(ROUTES + "older").body().get("status").get("conditions").get(0);
        assertThat(status.get("type").asString()).isEqualTo("Accepted");
        assertThat(status.get("status").asString()).isEqualTo("False");
        assertThat(status.get("message").asString()).contains("max_ejection_percent");
        var goodStatus = cp.get(ROUTES + "good").body().get("status").get("conditions").get(0);
        assertThat(goodStatus.get("status").asString()).isEqualTo("True");
      }
    }
  }
}
