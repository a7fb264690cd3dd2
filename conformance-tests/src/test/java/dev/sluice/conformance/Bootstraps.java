package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import tools.jackson.databind.JsonNode;

/**
 * Mints bootstrap tokens through the REST API, as an operator would.
 *
 * @param json the Envoy bootstrap exactly as the endpoint answered it
 */
record Bootstraps(String tokenId, String bearer, JsonNode bootstrap, String json) {

  static Bootstraps mint(ControlPlane cp, String namespace, String serviceAccount, String nodeId, String ttl) {
    return mint(cp, namespace, serviceAccount, nodeId, ttl, null, null);
  }

  /** With the gateway's listener and admin ports, when not null. */
  static Bootstraps mint(ControlPlane cp, String namespace, String serviceAccount, String nodeId, String ttl,
      Integer listenerPort, Integer adminPort) {
    String body = "{\"serviceAccount\":\"" + serviceAccount + "\",\"nodeId\":\"" + nodeId + "\""
        + (ttl == null ? "" : ",\"ttl\":\"" + ttl + "\"")
        + (listenerPort == null ? "" : ",\"listenerPort\":" + listenerPort)
        + (adminPort == null ? "" : ",\"adminPort\":" + adminPort) + "}";
    ControlPlane.RawResponse r = cp.raw(HttpRequest.newBuilder().header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)), "/api/v1/namespaces/" + namespace + "/bootstrap");
    assertThat(r.status()).as("bootstrap for %s/%s: %s", namespace, serviceAccount, r.body()).isEqualTo(201);
    JsonNode bootstrap = ControlPlane.JSON.readTree(r.body());
    JsonNode grpc = bootstrap.get("dynamicResources").get("adsConfig").get("grpcServices").get(0);
    JsonNode header = grpc.get("initialMetadata").get(0);
    assertThat(header.get("key").asString()).isEqualTo("authorization");
    String tokenId = bootstrap.get("node").get("metadata").get("sluice.token_id").asString();
    return new Bootstraps(tokenId, header.get("value").asString(), bootstrap, r.body());
  }

  /**
   * A sidecar's bootstrap for a proxy outside Kubernetes (role sidecar, the app's ports), dialling
   * the control plane at {@code xdsHost} rather than the address it advertises.
   */
  static Bootstraps mintSidecar(ControlPlane cp, String namespace, String serviceAccount, String nodeId,
      java.util.List<Integer> inboundPorts, String xdsHost) {
    String body = "{\"serviceAccount\":\"" + serviceAccount + "\",\"nodeId\":\"" + nodeId
        + "\",\"role\":\"sidecar\",\"ttl\":\"1h\",\"adminPort\":15000,\"inboundPorts\":" + inboundPorts + "}";
    ControlPlane.RawResponse r = cp.raw(HttpRequest.newBuilder().header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)), "/api/v1/namespaces/" + namespace + "/bootstrap");
    assertThat(r.status()).as("sidecar bootstrap for %s/%s: %s", namespace, serviceAccount, r.body()).isEqualTo(201);
    JsonNode bootstrap = ControlPlane.JSON.readTree(r.body());
    JsonNode grpc = bootstrap.get("dynamicResources").get("adsConfig").get("grpcServices").get(0);
    String tokenId = bootstrap.get("node").get("metadata").get("sluice.token_id").asString();
    var socket = (tools.jackson.databind.node.ObjectNode) bootstrap.get("staticResources").get("clusters").get(0)
        .get("loadAssignment").get("endpoints").get(0).get("lbEndpoints").get(0).get("endpoint").get("address")
        .get("socketAddress");
    socket.put("address", xdsHost);
    return new Bootstraps(tokenId, grpc.get("initialMetadata").get(0).get("value").asString(), bootstrap,
        bootstrap.toString());
  }

  /** Names the token id only: the bearer and the bootstrap carry the token. */
  @Override
  public String toString() {
    return "Bootstraps[tokenId=" + tokenId + "]";
  }
}
