package dev.sluice.controlplane.routes;

import com.google.protobuf.Message;
import dev.sluice.translate.EnvoyJson;
import dev.sluice.translate.XdsResources;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** JSON for API responses. */
final class Json {
  static final JsonMapper MAPPER = JsonMapper.builder().build();

  private Json() {}

  static JsonNode envoy(Message message) {
    return MAPPER.readTree(EnvoyJson.print(message));
  }

  static ObjectNode resources(XdsResources r) {
    ObjectNode node = MAPPER.createObjectNode();
    add(node.putArray("listeners"), r.listeners());
    add(node.putArray("routes"), r.routes());
    add(node.putArray("clusters"), r.clusters());
    add(node.putArray("endpoints"), r.endpoints());
    return node;
  }

  private static void add(ArrayNode array, List<? extends Message> messages) {
    messages.forEach(m -> array.add(envoy(m)));
  }
}
