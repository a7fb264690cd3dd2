package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;

/** Mints bootstrap tokens through the REST API, as an operator would. */
record Bootstraps(String tokenId, String bearer, JsonNode bootstrap) {

  static Bootstraps mint(ControlPlane cp, String namespace, String serviceAccount, String nodeId, String ttl) {
    String body = "{\"serviceAccount\":\"" + serviceAccount + "\",\"nodeId\":\"" + nodeId + "\""
        + (ttl == null ? "" : ",\"ttl\":\"" + ttl + "\"") + "}";
    ControlPlane.Response r = cp.post("/api/v1/namespaces/" + namespace + "/bootstrap", body);
    assertThat(r.status()).as("bootstrap for %s/%s: %s", namespace, serviceAccount, r.body()).isEqualTo(201);
    JsonNode grpc = r.body().get("dynamicResources").get("adsConfig").get("grpcServices").get(0);
    JsonNode header = grpc.get("initialMetadata").get(0);
    assertThat(header.get("key").asString()).isEqualTo("authorization");
    String tokenId = r.body().get("node").get("metadata").get("sluice.token_id").asString();
    return new Bootstraps(tokenId, header.get("value").asString(), r.body());
  }
}
