package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.injector.inject.SidecarBootstrap;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The bootstrap the injector writes into every sidecar is one real Envoy accepts: {@code envoy
 * --mode validate} on it, after Kubernetes' expansion of {@code $(POD_NAME)}. Runs on both Envoy
 * slots (primary and latest); without an Envoy binary it skips, or fails on CI (as {@link EnvoySuite}).
 */
class EnvoyInjectedBootstrapTest {
  private EnvoyRuntime envoy;

  @BeforeEach
  void envoy() {
    envoy = EnvoyRuntime.select();
    if (envoy.binary().isEmpty()) {
      throw Peers.missing("--mode validate needs a local Envoy " + envoy.version() + " binary, found only Docker");
    }
  }

  @Test
  @DisplayName("injected sidecar bootstrap: valid for Envoy, with inbound ports, probe routes and no server name")
  void injectedBootstrap_isValid() throws Exception {
    assertValid(new SidecarBootstrap("ml", "fraud-scorer", List.of(8080, 9000), List.of(
        new SidecarBootstrap.HealthRoute("/app-health/model/livez", 8080, "/healthz?verbose=1", Optional.of("model.local")),
        new SidecarBootstrap.HealthRoute("/app-health/model/readyz", 9000, "/ready", Optional.empty())),
        "sluice-xds.sluice-system.svc",
        18001, Optional.empty(), IssuedServingCertificate.issue().rootPem()));
  }

  @Test
  @DisplayName("injected sidecar bootstrap: valid for Envoy, with no inbound ports and a server name override")
  void injectedBootstrapWithServerName_isValid() throws Exception {
    assertValid(new SidecarBootstrap("jobs", "default", List.of(), List.of(), "10.96.0.10", 18001,
        Optional.of("sluice-xds.sluice-system.svc"),
        IssuedServingCertificate.issue().rootPem()));
  }

  @Test
  @DisplayName("injected sidecar bootstrap: load reports as ADS, and the sluice-xds cluster rollouts' access logs use")
  void injectedBootstrap_reportsLoadLikeAds_andHasTheClusterTheAccessLogsUse() throws Exception {
    var json = ControlPlane.JSON.readTree(new SidecarBootstrap("ml", "fraud-scorer", List.of(8080), List.of(),
        "sluice-xds.sluice-system.svc", 18001, Optional.empty(), IssuedServingCertificate.issue().rootPem()).json());

    assertThat(json.at("/cluster_manager/load_stats_config/grpc_services"))
        .isEqualTo(json.at("/dynamic_resources/ads_config/grpc_services"));
    assertThat(SidecarBootstrap.XDS_CLUSTER).isEqualTo(dev.sluice.translate.EnvoyBootstrap.XDS_CLUSTER);
    var names = new java.util.ArrayList<String>();
    json.at("/static_resources/clusters").forEach(c -> names.add(c.get("name").asString()));
    assertThat(names).contains(SidecarBootstrap.XDS_CLUSTER);
  }

  private void assertValid(SidecarBootstrap bootstrap) throws Exception {
    String json = bootstrap.json().replace(SidecarBootstrap.POD_NAME_REF, "scorer-7d9f8-abcde");
    Path bin = envoy.binary().orElseThrow();
    Process p = new ProcessBuilder(bin.toString(), "--mode", "validate", "--config-yaml", json,
        "--disable-hot-restart", "--log-level", "warn").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("envoy --mode validate finished").isTrue();
    assertThat(p.exitValue()).as("Envoy %s on the injected bootstrap:\n%s", envoy.version(), out).isZero();
  }
}
