package dev.sluice.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;
import java.util.TreeMap;

/**
 * Object metadata, as in Kubernetes. {@code resourceVersion} and {@code generation} are set by the
 * server; a client may send {@code resourceVersion} back for optimistic concurrency.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"name", "namespace", "labels", "resourceVersion", "generation"})
public record Metadata(
    String name, String namespace, Map<String, String> labels, String resourceVersion, Long generation) {

  public static final String DEFAULT_NAMESPACE = "default";

  public Metadata {
    labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
  }

  public static Metadata of(String namespace, String name) {
    return new Metadata(name, namespace, Map.of(), null, null);
  }

  public Metadata withNamespace(String newNamespace) {
    return new Metadata(name, newNamespace, labels, resourceVersion, generation);
  }

  public Metadata withName(String newName) {
    return new Metadata(newName, namespace, labels, resourceVersion, generation);
  }

  public Metadata withServerFields(String newResourceVersion, Long newGeneration) {
    return new Metadata(name, namespace, labels, newResourceVersion, newGeneration);
  }
}
