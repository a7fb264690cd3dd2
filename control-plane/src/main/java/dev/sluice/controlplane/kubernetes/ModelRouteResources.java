package dev.sluice.controlplane.kubernetes;

import dev.sluice.model.FieldError;
import dev.sluice.model.Metadata;
import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelRouteCodec;
import dev.sluice.model.ModelRouteStatus;
import dev.sluice.model.ModelRouteValidator;
import dev.sluice.model.crd.ModelRouteCrd;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Converts between the ModelRoute custom resource as the API server holds it and the policy model. */
final class ModelRouteResources {
  static final ResourceDefinitionContext CONTEXT = new ResourceDefinitionContext.Builder()
      .withGroup(ModelRouteCrd.GROUP)
      .withVersion(ModelRouteCrd.VERSION)
      .withPlural(ModelRouteCrd.PLURAL)
      .withKind(ModelRoute.KIND)
      .withNamespaced(true)
      .build();
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final ObjectMapper LENIENT = JsonMapper.builder()
      .disable(tools.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private ModelRouteResources() {}

  /** A custom resource read as a route: the route when it is valid, else the problems. */
  record Decoded(ModelRoute route, List<FieldError> errors) {
    boolean ok() {
      return errors.isEmpty();
    }
  }

  static Decoded decode(GenericKubernetesResource resource) {
    ObjectMeta meta = resource.getMetadata();
    ObjectNode doc = JSON.createObjectNode();
    doc.put("apiVersion", ModelRoute.API_VERSION);
    doc.put("kind", ModelRoute.KIND);
    ObjectNode metadata = doc.putObject("metadata");
    metadata.put("name", meta.getName());
    metadata.put("namespace", meta.getNamespace());
    if (meta.getLabels() != null && !meta.getLabels().isEmpty()) {
      metadata.set("labels", JSON.valueToTree(meta.getLabels()));
    }
    metadata.put("resourceVersion", meta.getResourceVersion());
    if (meta.getGeneration() != null) {
      metadata.put("generation", meta.getGeneration());
    }
    Object spec = resource.getAdditionalProperties().get("spec");
    if (spec != null) {
      doc.set("spec", JSON.valueToTree(spec));
    }
    ModelRouteCodec.Parsed parsed = ModelRouteCodec.parse(doc);
    if (!parsed.ok()) {
      return new Decoded(null, parsed.errors());
    }
    List<FieldError> errors = new ArrayList<>(ModelRouteValidator.validate(parsed.route()));
    return new Decoded(errors.isEmpty() ? parsed.route() : null, List.copyOf(errors));
  }

  /**
   * The route's spec and labels written over {@code base} (the object as the API server has it,
   * so its annotations, owner references and finalizers are kept), or a new object.
   */
  @SuppressWarnings("unchecked")
  static GenericKubernetesResource encode(ModelRoute route, GenericKubernetesResource base) {
    GenericKubernetesResource resource = base != null ? base : new GenericKubernetesResource();
    resource.setApiVersion(ModelRoute.API_VERSION);
    resource.setKind(ModelRoute.KIND);
    ObjectMeta meta = resource.getMetadata() != null ? resource.getMetadata() : new ObjectMeta();
    meta.setName(route.metadata().name());
    meta.setNamespace(route.metadata().namespace());
    Metadata m = route.metadata();
    meta.setLabels(m.labels().isEmpty() ? null : new java.util.TreeMap<>(m.labels()));
    resource.setMetadata(meta);
    Map<String, Object> spec = JSON.convertValue(ModelRouteCodec.toTree(route).get("spec"), Map.class);
    resource.setAdditionalProperty("spec", spec);
    return resource;
  }

  /** The status the API server holds, or null when there is none or it is not one Sluice wrote. */
  static ModelRouteStatus status(GenericKubernetesResource resource) {
    Object status = resource.getAdditionalProperties().get("status");
    if (status == null) {
      return null;
    }
    try {
      return LENIENT.convertValue(status, ModelRouteStatus.class);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The status to write: the object's name and resourceVersion (the precondition) and the status. */
  static GenericKubernetesResource withStatus(KubernetesRouteStore.Entry entry, ModelRouteStatus status) {
    GenericKubernetesResource resource = new GenericKubernetesResource();
    resource.setApiVersion(ModelRoute.API_VERSION);
    resource.setKind(ModelRoute.KIND);
    ObjectMeta meta = new ObjectMeta();
    meta.setName(entry.name());
    meta.setNamespace(entry.namespace());
    meta.setResourceVersion(entry.resourceVersion());
    resource.setMetadata(meta);
    resource.setAdditionalProperty("status", JSON.convertValue(JSON.valueToTree(status), Map.class));
    return resource;
  }

  static String key(GenericKubernetesResource resource) {
    return resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
  }
}
