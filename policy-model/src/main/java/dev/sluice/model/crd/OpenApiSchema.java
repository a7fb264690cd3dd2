package dev.sluice.model.crd;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.sluice.model.Required;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The structural OpenAPI v3 schema of a policy-model type, read off the Java records themselves:
 * each record component is a property (in {@link JsonPropertyOrder} order), {@link Required}
 * components are required, enums list the names Jackson writes for them. A type it does not know
 * is an error, so a new kind of field cannot slip into the model without a schema.
 */
final class OpenApiSchema {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private OpenApiSchema() {}

  static ObjectNode of(Type type) {
    if (type instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      Type[] args = p.getActualTypeArguments();
      if (List.class.equals(raw)) {
        ObjectNode array = typed("array");
        array.set("items", of(args[0]));
        return array;
      }
      if (Map.class.equals(raw) && String.class.equals(args[0])) {
        ObjectNode map = typed("object");
        map.set("additionalProperties", of(args[1]));
        return map;
      }
      throw new IllegalArgumentException("no schema for " + type);
    }
    Class<?> c = (Class<?>) type;
    if (c == String.class) {
      return typed("string");
    }
    if (c == Integer.class || c == int.class) {
      return typed("integer").put("format", "int32");
    }
    if (c == Long.class || c == long.class) {
      return typed("integer").put("format", "int64");
    }
    if (c == Double.class || c == double.class) {
      return typed("number");
    }
    if (c == Boolean.class || c == boolean.class) {
      return typed("boolean");
    }
    if (c.isEnum()) {
      ObjectNode schema = typed("string");
      ArrayNode values = schema.putArray("enum");
      for (Object constant : c.getEnumConstants()) {
        values.add(JSON.valueToTree(constant).asString());
      }
      return schema;
    }
    if (c.isRecord()) {
      return record(c);
    }
    throw new IllegalArgumentException("no schema for " + type);
  }

  private static ObjectNode record(Class<?> c) {
    ObjectNode schema = typed("object");
    ObjectNode properties = schema.putObject("properties");
    List<String> required = new ArrayList<>();
    for (RecordComponent component : inJsonOrder(c)) {
      properties.set(component.getName(), of(component.getGenericType()));
      if (component.isAnnotationPresent(Required.class)) {
        required.add(component.getName());
      }
    }
    if (!required.isEmpty()) {
      ArrayNode list = schema.putArray("required");
      required.forEach(list::add);
    }
    return schema;
  }

  /** The record's components, those named by {@link JsonPropertyOrder} first and in its order. */
  static List<RecordComponent> inJsonOrder(Class<?> c) {
    List<RecordComponent> components = new ArrayList<>(Arrays.asList(c.getRecordComponents()));
    JsonPropertyOrder order = c.getAnnotation(JsonPropertyOrder.class);
    if (order != null) {
      List<String> names = Arrays.asList(order.value());
      components.sort((a, b) -> Integer.compare(rank(names, a.getName()), rank(names, b.getName())));
    }
    return components;
  }

  private static int rank(List<String> names, String name) {
    int i = names.indexOf(name);
    return i < 0 ? Integer.MAX_VALUE : i;
  }

  private static ObjectNode typed(String type) {
    return NODES.objectNode().put("type", type);
  }
}
