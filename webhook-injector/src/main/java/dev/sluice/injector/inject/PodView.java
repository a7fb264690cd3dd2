package dev.sluice.injector.inject;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Read-only questions about the Pod of an AdmissionRequest, asked of its JSON as the API server sent
 * it (not of a typed model: a patch must know whether an array or map is absent or merely empty).
 *
 * @param namespace the request's namespace (a Pod being created may not carry one yet)
 */
record PodView(JsonNode pod, String namespace) {

  JsonNode metadata() {
    return pod.path("metadata");
  }

  JsonNode spec() {
    return pod.path("spec");
  }

  /** {@code ns/name}, or {@code ns/generateName*} for a pod whose name the API server will pick. */
  String displayName() {
    String name = metadata().path("name").asText("");
    if (name.isEmpty()) {
      name = metadata().path("generateName").asText("") + "*";
    }
    return namespace + "/" + name;
  }

  Optional<String> label(String key) {
    return text(metadata().path("labels").get(key));
  }

  Optional<String> annotation(String key) {
    return text(metadata().path("annotations").get(key));
  }

  boolean hostNetwork() {
    return spec().path("hostNetwork").asBoolean(false);
  }

  String serviceAccount() {
    String sa = spec().path("serviceAccountName").asText("");
    return sa.isEmpty() ? "default" : sa;
  }

  /** Names of the containers of this list ({@code containers} or {@code initContainers}). */
  List<String> containerNames(String list) {
    List<String> names = new ArrayList<>();
    spec().path(list).forEach(c -> names.add(c.path("name").asText("")));
    return names;
  }

  /** The TCP container ports of the app containers (not init containers), sorted, each once. */
  List<Integer> tcpContainerPorts() {
    TreeSet<Integer> ports = new TreeSet<>();
    for (JsonNode c : spec().path("containers")) {
      for (JsonNode p : c.path("ports")) {
        String protocol = p.path("protocol").asText("TCP");
        if (protocol.equals("TCP") && p.path("containerPort").canConvertToInt()) {
          ports.add(p.path("containerPort").asInt());
        }
      }
    }
    return List.copyOf(ports);
  }

  private static Optional<String> text(JsonNode node) {
    return node == null || !node.isTextual() ? Optional.empty() : Optional.of(node.asText());
  }
}
