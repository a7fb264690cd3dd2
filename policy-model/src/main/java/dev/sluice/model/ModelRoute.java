package dev.sluice.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The {@code ModelRoute} resource: how traffic reaches the versions of one model.
 *
 * <p>The same document is the REST body, the Kubernetes custom resource and a file kept in git.
 * Instances are immutable; the {@code with*} methods return copies.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec", "status"})
public record ModelRoute(
    String apiVersion, String kind, Metadata metadata, ModelRouteSpec spec, ModelRouteStatus status) {

  public static final String API_VERSION = "sluice.dev/v1alpha1";
  public static final String KIND = "ModelRoute";

  /** A route with the default apiVersion and kind, no status. */
  public static ModelRoute of(Metadata metadata, ModelRouteSpec spec) {
    return new ModelRoute(API_VERSION, KIND, metadata, spec, null);
  }

  public ModelRoute withMetadata(Metadata newMetadata) {
    return new ModelRoute(apiVersion, kind, newMetadata, spec, status);
  }

  public ModelRoute withSpec(ModelRouteSpec newSpec) {
    return new ModelRoute(apiVersion, kind, metadata, newSpec, status);
  }

  public ModelRoute withStatus(ModelRouteStatus newStatus) {
    return new ModelRoute(apiVersion, kind, metadata, spec, newStatus);
  }

  /** {@code namespace/name}, the route's key everywhere in logs and stores. */
  public String key() {
    return metadata.namespace() + "/" + metadata.name();
  }
}
