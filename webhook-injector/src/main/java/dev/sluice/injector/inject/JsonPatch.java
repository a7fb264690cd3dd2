package dev.sluice.injector.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * A JSON Patch (RFC 6902) of {@code add} and {@code replace} operations, written against the document
 * as it is: a map or array that is absent (or null) is added whole; one that exists gets its entries
 * one by one, map keys escaped as JSON Pointer requires ({@code /} as {@code ~1}, {@code ~} as
 * {@code ~0}). Array indices are those of the document before the patch: whoever builds a patch puts
 * operations addressing existing items before those that insert items ahead of them.
 */
final class JsonPatch {
  private final ArrayNode ops = Json.MAPPER.createArrayNode();

  /** Puts these entries into the map at {@code path} ({@code current} is that map in the document). */
  JsonPatch putAll(JsonNode current, String path, Map<String, ? extends JsonNode> entries) {
    if (absent(current)) {
      ObjectNode map = Json.object();
      entries.forEach(map::set);
      return add(path, map);
    }
    entries.forEach((key, value) -> add(path + "/" + escape(key), value));
    return this;
  }

  /** Inserts these items before the first item of the array at {@code path}, keeping their order. */
  JsonPatch prepend(JsonNode current, String path, List<? extends JsonNode> items) {
    if (items.isEmpty()) {
      return this;
    }
    if (absent(current)) {
      return add(path, Json.MAPPER.createArrayNode().addAll(List.copyOf(items)));
    }
    for (int i = 0; i < items.size(); i++) {
      add(path + "/" + i, items.get(i));
    }
    return this;
  }

  /** Appends these items to the array at {@code path}. */
  JsonPatch append(JsonNode current, String path, List<? extends JsonNode> items) {
    if (items.isEmpty()) {
      return this;
    }
    if (absent(current)) {
      return add(path, Json.MAPPER.createArrayNode().addAll(List.copyOf(items)));
    }
    items.forEach(item -> add(path + "/-", item));
    return this;
  }

  /** Replaces the value at {@code path}, which must exist. */
  JsonPatch replace(String path, JsonNode value) {
    ops.addObject().put("op", "replace").put("path", path).set("value", value);
    return this;
  }

  ArrayNode operations() {
    return ops.deepCopy();
  }

  static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  private JsonPatch add(String path, JsonNode value) {
    ops.addObject().put("op", "add").put("path", path).set("value", value);
    return this;
  }

  private static boolean absent(JsonNode node) {
    return node == null || node.isMissingNode() || node.isNull();
  }
}
