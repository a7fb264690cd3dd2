package dev.sluice.model.crd;

import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelRouteSpec;
import dev.sluice.model.ModelRouteStatus;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * The CustomResourceDefinition {@code modelroutes.sluice.dev}: the policy model's schema (see
 * {@link OpenApiSchema}) plus what only the API server needs: the status subresource, printer
 * columns, the short name, and the rules it can check itself as CEL.
 *
 * <p>The committed file {@code charts/sluice/crds/modelroutes.sluice.dev.yaml} is this class's
 * output; {@code ModelRouteCrdTest} fails when the two differ.
 */
public final class ModelRouteCrd {
  public static final String GROUP = "sluice.dev";
  public static final String VERSION = "v1alpha1";
  public static final String PLURAL = "modelroutes";
  public static final String NAME = PLURAL + "." + GROUP;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ModelRouteCrd() {}

  /** The CRD as the YAML document {@code kubectl apply} takes. */
  public static String yaml() {
    YAMLMapper yaml = YAMLMapper.builder()
        .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
        .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
        .build();
    return "# Generated from the policy model by dev.sluice.model.crd.ModelRouteCrd; do not edit.\n"
        + "# Regenerate: ./mvnw -pl policy-model test -Dgolden.update=true\n"
        + yaml.writeValueAsString(document());
  }

  static ObjectNode document() {
    ObjectNode crd = NODES.objectNode();
    crd.put("apiVersion", "apiextensions.k8s.io/v1");
    crd.put("kind", "CustomResourceDefinition");
    crd.putObject("metadata").put("name", NAME);
    ObjectNode spec = crd.putObject("spec");
    spec.put("group", GROUP);
    ObjectNode names = spec.putObject("names");
    names.put("kind", ModelRoute.KIND);
    names.put("listKind", ModelRoute.KIND + "List");
    names.put("plural", PLURAL);
    names.put("singular", "modelroute");
    names.putArray("shortNames").add("mr");
    names.putArray("categories").add("sluice");
    spec.put("scope", "Namespaced");
    ObjectNode version = spec.putArray("versions").addObject();
    version.put("name", VERSION);
    version.put("served", true);
    version.put("storage", true);
    version.putObject("subresources").putObject("status");
    version.set("additionalPrinterColumns", printerColumns());
    version.putObject("schema").set("openAPIV3Schema", rootSchema());
    return crd;
  }

  private static ObjectNode rootSchema() {
    ObjectNode root = NODES.objectNode().put("type", "object");
    ObjectNode properties = root.putObject("properties");
    properties.putObject("apiVersion").put("type", "string");
    properties.putObject("kind").put("type", "string");
    properties.putObject("metadata").put("type", "object");
    properties.set("spec", specSchema());
    properties.set("status", OpenApiSchema.of(ModelRouteStatus.class));
    root.putArray("required").add("spec");
    return root;
  }

  /**
   * The spec's schema with what the API server can check on its own: version names are the keys of
   * a map-list (so a name used twice is refused, and server-side apply merges versions by name),
   * hosts are a set, and the weights sum to 100.
   */
  static ObjectNode specSchema() {
    ObjectNode spec = OpenApiSchema.of(ModelRouteSpec.class);
    ObjectNode properties = (ObjectNode) spec.get("properties");
    ObjectNode versions = (ObjectNode) properties.get("versions");
    versions.put("x-kubernetes-list-type", "map");
    versions.putArray("x-kubernetes-list-map-keys").add("name");
    versions.put("minItems", 1);
    ObjectNode hosts = (ObjectNode) properties.get("hosts");
    hosts.put("x-kubernetes-list-type", "set");
    hosts.put("minItems", 1);
    ArrayNode rules = spec.putArray("x-kubernetes-validations");
    rules.addObject()
        .put("rule", "!has(self.versions) || !self.versions.all(v, has(v.weight))"
            + " || self.versions.map(v, v.weight).sum() == 100")
        .put("message", "weights of all versions must sum to 100")
        .put("fieldPath", ".versions")
        .put("reason", "FieldValueInvalid");
    return spec;
  }

  private static ArrayNode printerColumns() {
    ArrayNode columns = NODES.arrayNode();
    column(columns, "Hosts", "string", ".spec.hosts");
    // A printer column shows only the first value of a list, so the split is summed up in the status.
    column(columns, "Weights", "string", ".status.weights");
    column(columns, "Programmed", "string", ".status.conditions[?(@.type==\"Programmed\")].status");
    column(columns, "Age", "date", ".metadata.creationTimestamp");
    return columns;
  }

  private static void column(ArrayNode columns, String name, String type, String jsonPath) {
    columns.addObject().put("name", name).put("type", type).put("jsonPath", jsonPath);
  }
}
