package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import dev.sluice.translate.EnvoyJson;
import dev.sluice.translate.check.ProtoRules;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code POST /api/v1/namespaces/{ns}/bootstrap} and {@code /api/v1/tokens} over real HTTP. */
class BootstrapEndpointTest {
  @TempDir static Path store;
  static ControlPlane cp;

  @BeforeAll
  static void start() {
    cp = ControlPlane.prepare(store).withArgs("--sluice.xds.advertised-host=xds.example.com");
    cp.start();
  }

  @AfterAll
  static void stop() {
    cp.close();
  }

  @Test
  void bootstrap_isAnEnvoyBootstrapForTheSecurePort_thatPassesEnvoysRules() throws Exception {
    ControlPlane.RawResponse r = cp.raw(HttpRequest.newBuilder().header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"serviceAccount\":\"gateway\",\"nodeId\":\"edge-1\",\"listenerPort\":10001,\"ttl\":\"2h\"}")),
        "/api/v1/namespaces/ml/bootstrap");
    assertThat(r.status()).isEqualTo(201);
    String tokenId = r.headers().firstValue("Sluice-Token-Id").orElseThrow();
    assertThat(r.headers().firstValue("Location")).hasValue("/api/v1/tokens/" + tokenId);

    Bootstrap.Builder parsed = Bootstrap.newBuilder();
    JsonFormat.parser().usingTypeRegistry(EnvoyJson.TYPES).merge(r.body(), parsed);
    Bootstrap b = parsed.build();
    assertThat(ProtoRules.check(b, EnvoyJson.TYPES)).as("Envoy's own proto rules").isEmpty();
    assertThat(b.getNode().getId()).isEqualTo("edge-1");
    assertThat(b.getNode().getCluster()).isEqualTo("ml/gateway");
    var metadata = b.getNode().getMetadata().getFieldsMap();
    assertThat(metadata.get("sluice.role").getStringValue()).isEqualTo("gateway");
    assertThat(metadata.get("sluice.listener_port").getStringValue()).isEqualTo("10001");
    assertThat(metadata.get("sluice.token_id").getStringValue()).isEqualTo(tokenId);

    var address = b.getStaticResources().getClusters(0).getLoadAssignment().getEndpoints(0).getLbEndpoints(0)
        .getEndpoint().getAddress().getSocketAddress();
    assertThat(address.getAddress()).isEqualTo("xds.example.com");
    assertThat(address.getPortValue()).isEqualTo(cp.secureXdsPort());
    UpstreamTlsContext tls = b.getStaticResources().getClusters(0).getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
    assertThat(tls.getCommonTlsContext().getValidationContext().getTrustedCa().getInlineString())
        .isEqualTo(SecureXdsTest.trustBundleOf(cp));
    assertThat(tls.getCommonTlsContext().getValidationContext().getMatchTypedSubjectAltNames(0).getMatcher().getExact())
        .isEqualTo("spiffe://cluster.local/ns/sluice-system/sa/sluice");

    JsonNode token = cp.get("/api/v1/tokens/" + tokenId).body();
    assertThat(token.get("namespace").asString()).isEqualTo("ml");
    assertThat(token.get("serviceAccount").asString()).isEqualTo("gateway");
    assertThat(token.get("nodeId").asString()).isEqualTo("edge-1");
    assertThat(token.get("revokedAt").isNull()).isTrue();
  }

  @Test
  void yamlIsServedWhenAskedFor() {
    ControlPlane.RawResponse r = cp.raw(HttpRequest.newBuilder().header("Accept", "application/yaml")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"serviceAccount\":\"gateway\",\"nodeId\":\"edge-yaml\"}")),
        "/api/v1/namespaces/ml/bootstrap");
    assertThat(r.status()).isEqualTo(201);
    assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/yaml");
    assertThat(r.body()).contains("dynamicResources:").contains("edge-yaml");
  }

  @Test
  void sidecarBootstrap_namesItsRoleIdentityAndAppPorts() {
    ControlPlane.Response r = cp.post("/api/v1/namespaces/ml/bootstrap",
        "{\"serviceAccount\":\"scorer\",\"nodeId\":\"scorer-pod\",\"role\":\"sidecar\",\"inboundPorts\":[9000,8080]}");
    assertThat(r.status()).as("%s", r.body()).isEqualTo(201);
    JsonNode metadata = r.body().get("node").get("metadata");
    assertThat(metadata.get("sluice.role").asString()).isEqualTo("sidecar");
    assertThat(metadata.get("sluice.namespace").asString()).isEqualTo("ml");
    assertThat(metadata.get("sluice.service_account").asString()).isEqualTo("scorer");
    assertThat(metadata.get("sluice.inbound_ports").asString()).isEqualTo("8080,9000");
  }

  @Test
  void badRequests_nameEveryBadField_andMintNothing() {
    int before = cp.get("/api/v1/tokens").body().get("items").size();
    ControlPlane.Response r = cp.post("/api/v1/namespaces/ml/bootstrap",
        "{\"nodeId\":\"has space\",\"role\":\"proxyless\",\"ttl\":\"100000h\",\"listenerPort\":70000,\"colour\":\"red\"}");
    assertThat(r.status()).isEqualTo(422);
    List<String> fields = new ArrayList<>();
    r.body().get("errors").forEach(e -> fields.add(e.get("field").asString()));
    assertThat(fields).containsExactlyInAnyOrder("colour", "serviceAccount", "nodeId", "role", "ttl", "listenerPort");

    ControlPlane.Response sidecar = cp.post("/api/v1/namespaces/ml/bootstrap", "{\"serviceAccount\":\"a\",\"nodeId\":\"n\","
        + "\"role\":\"sidecar\",\"listenerPort\":8080,\"inboundPorts\":[8080,15006,0]}");
    assertThat(sidecar.status()).isEqualTo(422);
    List<String> sidecarFields = new ArrayList<>();
    sidecar.body().get("errors").forEach(e -> sidecarFields.add(e.get("field").asString()));
    assertThat(sidecarFields).containsExactlyInAnyOrder("listenerPort", "inboundPorts[1]", "inboundPorts[2]");

    assertThat(cp.post("/api/v1/namespaces/ML_NS/bootstrap", "{\"serviceAccount\":\"a\",\"nodeId\":\"n\"}").status()).isEqualTo(422);
    assertThat(cp.post("/api/v1/namespaces/ml/bootstrap", "not json").status()).isEqualTo(400);
    assertThat(cp.get("/api/v1/tokens").body().get("items").size()).isEqualTo(before);
  }

  @Test
  void tokensAreListedWithoutTheTokenItself_andUnknownOnesAre404() {
    Bootstraps minted = Bootstraps.mint(cp, "risk", "scorer", "edge-listed", null);
    String listed = cp.raw(HttpRequest.newBuilder().GET(), "/api/v1/tokens?namespace=risk").body();
    assertThat(listed).contains(minted.tokenId()).doesNotContain(minted.bearer().substring("Bearer ".length()))
        .doesNotContain("eyJ");
    assertThat(cp.delete("/api/v1/tokens/no-such-token").status()).isEqualTo(404);
    assertThat(cp.get("/api/v1/tokens/no-such-token").status()).isEqualTo(404);
  }
}
