package dev.sluice.model.crd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.model.FieldError;
import dev.sluice.model.ModelRouteCodec;
import dev.sluice.model.ModelRouteSpec;
import dev.sluice.model.ModelRouteValidator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The CRD's {@code required} lists and the validator's "is required" errors are two readings of
 * one rule ({@code @Required} in the model). This test finds the validator's reading by
 * experiment: it removes each field of full documents in turn and records which removals the
 * validator reports as "is required"; that set must equal the schema's.
 */
class RequiredFieldsTest {

  @Test
  void theSchemaRequiresExactlyWhatTheValidatorRequires() throws IOException {
    TreeSet<String> byValidator = new TreeSet<>();
    TreeSet<String> present = new TreeSet<>();
    for (String doc : List.of("/all-fields.yaml", "/sticky-cookie.yaml")) {
      JsonNode route = ModelRouteCodec.toTree(parse(read(doc)));
      walk(route.get("spec"), "spec", route, byValidator, present);
    }
    TreeSet<String> bySchema = new TreeSet<>();
    required(OpenApiSchema.of(ModelRouteSpec.class), "spec", bySchema);
    bySchema.retainAll(present);

    assertThat(byValidator).as("fields the validator requires").isEqualTo(bySchema);
    assertThat(byValidator).contains("spec.hosts", "spec.port", "spec.versions", "spec.versions[*].name",
        "spec.versions[*].weight");
  }

  /** Removes each field under {@code node} from a copy of {@code root} and validates the copy. */
  private static void walk(JsonNode node, String path, JsonNode root, TreeSet<String> required, TreeSet<String> present) {
    if (node.isObject()) {
      for (var entry : node.properties()) {
        String child = path + "." + entry.getKey();
        present.add(generic(child));
        if (reportsRequired(root, child)) {
          required.add(generic(child));
        }
        walk(entry.getValue(), child, root, required, present);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        walk(node.get(i), path + "[" + i + "]", root, required, present);
      }
    }
  }

  private static boolean reportsRequired(JsonNode root, String path) {
    JsonNode copy = root.deepCopy();
    int dot = path.lastIndexOf('.');
    ((ObjectNode) at(copy, path.substring(0, dot))).remove(path.substring(dot + 1));
    var parsed = ModelRouteCodec.parse(copy);
    assertThat(parsed.errors()).as("decoding without %s", path).isEmpty();
    List<FieldError> errors = ModelRouteValidator.validate(parsed.route());
    return errors.stream().anyMatch(e -> e.field().equals(path) && e.message().startsWith("is required"));
  }

  private static JsonNode at(JsonNode root, String path) {
    JsonNode node = root;
    for (String part : path.split("\\.")) {
      int bracket = part.indexOf('[');
      node = node.get(bracket < 0 ? part : part.substring(0, bracket));
      while (bracket >= 0) {
        int end = part.indexOf(']', bracket);
        node = node.get(Integer.parseInt(part.substring(bracket + 1, end)));
        bracket = part.indexOf('[', end);
      }
    }
    return node;
  }

  private static void required(JsonNode schema, String path, TreeSet<String> out) {
    if (schema.has("required")) {
      schema.get("required").forEach(name -> out.add(path + "." + name.asString()));
    }
    if (schema.has("properties")) {
      for (var entry : schema.get("properties").properties()) {
        required(entry.getValue(), path + "." + entry.getKey(), out);
      }
    }
    if (schema.has("items")) {
      required(schema.get("items"), path + "[*]", out);
    }
  }

  private static String generic(String path) {
    return path.replaceAll("\\[\\d+]", "[*]");
  }

  private static dev.sluice.model.ModelRoute parse(String yaml) {
    var parsed = ModelRouteCodec.parse(yaml, ModelRouteCodec.Format.YAML);
    assertThat(parsed.errors()).isEmpty();
    assertThat(ModelRouteValidator.validate(parsed.route())).isEmpty();
    return parsed.route();
  }

  private static String read(String resource) throws IOException {
    try (InputStream in = RequiredFieldsTest.class.getResourceAsStream(resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

}
