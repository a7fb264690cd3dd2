package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ModelRoute CRD in a real kube-apiserver: the generated schema is accepted as structural, the
 * same documents the REST API takes are taken by {@code kubectl apply}, and what the API server can
 * check itself it refuses with the field named, as the REST API does.
 */
class KubernetesCrdTest {
  private static KubeApiServer kube;
  private static ControlPlane cp;

  @BeforeAll
  static void start(@TempDir Path store) throws IOException {
    kube = KubeApiServer.start();
    kube.installCrd();
    cp = ControlPlane.start(store);
    assertThat(kube.kubectl(null, "create", "namespace", "ml").ok()).isTrue();
  }

  @AfterAll
  static void stop() {
    if (cp != null) {
      cp.close();
    }
    if (kube != null) {
      kube.close();
    }
  }

  @Test
  @DisplayName("a document with every field: taken by kubectl apply and by the REST API")
  void allFields_takenByBoth() throws IOException {
    String doc = resource("/all-fields.yaml")
        .replace("${V1}", "10.0.0.11:8080").replace("${V2}", "10.0.0.21:8080").replace("${V3}", "10.0.0.31:8080");

    KubeApiServer.Kubectl applied = kube.kubectl(doc, "apply", "-f", "-");
    assertThat(applied.ok()).as(applied.err()).isTrue();
    assertThat(cp.put("/api/v1/namespaces/ml/modelroutes/all-fields", "application/yaml", doc).status()).isEqualTo(201);

    KubeApiServer.Kubectl get = kube.kubectl(null, "get", "-n", "ml", "mr", "all-fields", "-o", "yaml");
    assertThat(get.out()).contains("failurePercent: 50", "samplingPercent: 2.5", "serviceAccount: all-fields-canary");
    KubeApiServer.Kubectl table = kube.kubectl(null, "get", "modelroutes", "-n", "ml");
    assertThat(table.out().lines().findFirst().orElseThrow().split("\\s+"))
        .containsExactly("NAME", "HOSTS", "WEIGHTS", "PROGRAMMED", "AGE");
    assertThat(table.out()).contains("all-fields", "[\"all-fields.ml\"]");
  }

  @Test
  @DisplayName("weights that do not sum to 100: refused by both, with spec.versions named")
  void weightsSum_refusedByBoth() {
    String doc = route("bad-sum", "[{name: v1, weight: 90, endpoints: [\"10.0.0.1:80\"]}, "
        + "{name: v2, weight: 5, endpoints: [\"10.0.0.2:80\"]}]", "port: 8080");
    KubeApiServer.Kubectl applied = kube.kubectl(doc, "apply", "-f", "-");
    assertThat(applied.ok()).isFalse();
    assertThat(applied.err()).contains("spec.versions", "weights of all versions must sum to 100");
    assertThat(restErrors(doc)).contains("spec.versions");
  }

  @Test
  @DisplayName("a version name used twice: refused by both, with the entry named")
  void duplicateVersion_refusedByBoth() {
    String doc = route("twice", "[{name: v1, weight: 50, endpoints: [\"10.0.0.1:80\"]}, "
        + "{name: v1, weight: 50, endpoints: [\"10.0.0.2:80\"]}]", "port: 8080");
    KubeApiServer.Kubectl applied = kube.kubectl(doc, "apply", "-f", "-");
    assertThat(applied.ok()).isFalse();
    assertThat(applied.err()).contains("spec.versions[1]", "Duplicate value");
    assertThat(restErrors(doc)).contains("spec.versions[1].name");
  }

  @Test
  @DisplayName("a missing port, an unknown protocol and an unknown field: refused by both, each named")
  void requiredEnumAndUnknown_refusedByBoth() {
    String noPort = route("no-port", "[{name: v1, weight: 100, endpoints: [\"10.0.0.1:80\"]}]", "protocol: HTTP");
    assertThat(kube.kubectl(noPort, "apply", "-f", "-").err()).contains("spec.port", "Required value");
    assertThat(restErrors(noPort)).contains("spec.port");

    String badProtocol = route("bad-protocol", "[{name: v1, weight: 100, endpoints: [\"10.0.0.1:80\"]}]",
        "port: 8080\n  protocol: QUIC");
    assertThat(kube.kubectl(badProtocol, "apply", "-f", "-").err()).contains("spec.protocol", "Unsupported value");
    assertThat(restErrors(badProtocol)).contains("spec.protocol");

    String unknown = route("unknown", "[{name: v1, weight: 100, endpoints: [\"10.0.0.1:80\"], replicas: 3}]",
        "port: 8080");
    assertThat(kube.kubectl(unknown, "apply", "-f", "-").err()).contains("unknown field", "spec.versions[0].replicas");
    assertThat(restErrors(unknown)).contains("spec.versions[0].replicas");

    assertThat(kube.kubectl(null, "get", "mr", "-n", "ml", "-o", "name").out())
        .doesNotContain("no-port", "bad-protocol", "unknown");
  }

  @Test
  @DisplayName("versions by pod label: taken by kubectl apply; refused by a standalone control plane, field named")
  void selectors_needKubernetesMode() {
    String doc = route("by-label", "[{name: v1, weight: 100, selector: {app: fraud, version: v1}}]",
        "port: 8080\n  service: fraud");
    KubeApiServer.Kubectl applied = kube.kubectl(doc, "apply", "-f", "-");
    assertThat(applied.ok()).as(applied.err()).isTrue();
    assertThat(restErrors(doc)).contains("spec.versions[0].selector", "sluice.store.type=kubernetes");
  }

  private static String route(String name, String versions, String more) {
    return """
        apiVersion: sluice.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: %s, namespace: ml}
        spec:
          hosts: [%s.ml]
          %s
          versions: %s
        """.formatted(name, name, more, versions);
  }

  /** The fields the REST API names when it refuses the document. */
  private static String restErrors(String doc) {
    String name = doc.lines().filter(l -> l.startsWith("metadata:")).findFirst().orElseThrow()
        .replaceAll(".*name: ([a-z0-9-]+).*", "$1");
    ControlPlane.Response r = cp.put("/api/v1/namespaces/ml/modelroutes/" + name, "application/yaml", doc);
    assertThat(r.status()).as("REST status for %s", name).isIn(400, 422);
    return r.body().toString();
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = KubernetesCrdTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
