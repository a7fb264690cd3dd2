package dev.sluice.controlplane.kubernetes;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A ConfigMap's data that several replicas change: read, edit, write back with the resourceVersion
 * read as precondition, and again from a fresh read when another writer came first.
 */
final class ConfigMapData {
  private static final int ATTEMPTS = 5;

  private ConfigMapData() {}

  /**
   * Applies {@code edit} to the data of ConfigMap {@code namespace/name} (created when missing).
   *
   * @param what what the data is, for the error: "rollout progress"
   * @throws IllegalStateException when the write fails, or conflicts {@value #ATTEMPTS} times
   */
  static void change(KubernetesClient client, String namespace, String name, String what,
      UnaryOperator<Map<String, String>> edit) {
    for (int attempt = 1; ; attempt++) {
      ConfigMap current = client.configMaps().inNamespace(namespace).withName(name).get();
      Map<String, String> data = edit.apply(new HashMap<>(current == null || current.getData() == null
          ? Map.of() : current.getData()));
      try {
        if (current == null) {
          client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder()
              .withNewMetadata().withName(name).withNamespace(namespace)
              .addToLabels("app.kubernetes.io/managed-by", "sluice").endMetadata()
              .withData(data).build()).create();
        } else {
          current.setData(data);
          client.configMaps().inNamespace(namespace).resource(current).update();
        }
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= ATTEMPTS) {
          throw new IllegalStateException("cannot write " + what + " to ConfigMap " + namespace + "/" + name
              + ": HTTP " + e.getCode(), e);
        }
      }
    }
  }
}
