package dev.sluice.injector.inject;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.injector.inject.SidecarBootstrap.HealthRoute;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HealthListenerTest {

  @Test
  void eachProbeRoute_followsEnvoysOwnReadiness_inPathOrder_withOneClusterPerPort() {
    JsonNode statics = HealthListener.staticResources(List.of(
        new HealthRoute("/app-health/b/readyz", 9000, "/ready", Optional.empty()),
        new HealthRoute("/app-health/a/livez", 8080, "/healthz?x=1", Optional.of("a.local")),
        new HealthRoute("/app-health/a/readyz", 8080, "/ready", Optional.empty())));
    JsonNode routes = statics.at("/listeners/0/filter_chains/0/filters/0/typed_config/route_config"
        + "/virtual_hosts/0/routes");
    assertThat(routes).extracting(r -> r.at("/match/path").asText()).containsExactly("/healthz/ready",
        "/app-health/a/livez", "/app-health/a/readyz", "/app-health/b/readyz");
    assertThat(routes.get(1).path("route").toString()).isEqualTo(
        "{\"cluster\":\"sluice-app-8080\",\"prefix_rewrite\":\"/healthz?x=1\",\"host_rewrite_literal\":\"a.local\"}");
    assertThat(routes.get(2).path("route").has("host_rewrite_literal")).isFalse();
    assertThat(statics.path("clusters")).extracting(c -> c.path("name").asText())
        .containsExactly("sluice-admin", "sluice-app-8080", "sluice-app-9000");
    assertThat(statics.at("/clusters/2/load_assignment/endpoints/0/lb_endpoints/0/endpoint/address/socket_address")
        .toString()).isEqualTo("{\"address\":\"127.0.0.1\",\"port_value\":9000}");
    assertThat(statics.at("/clusters/2/connect_timeout").asText()).isEqualTo("1s");
  }

  @Test
  void noProbes_leaveOnlyEnvoysReadiness() {
    JsonNode statics = HealthListener.staticResources(List.of());
    assertThat(statics.path("clusters")).hasSize(1);
    assertThat(statics.at("/listeners/0/filter_chains/0/filters/0/typed_config/route_config/virtual_hosts/0/routes"))
        .hasSize(1);
  }
}
