package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Kubernetes install commands, run as written against a real API server, then the
 * control plane with the README's arguments: it starts, and a route applied with kubectl reaches its
 * REST API with the status the leader writes.
 */
class KubernetesReadmeTest {

  @Test
  void theReadmesCommands_installAndRun(@TempDir Path store) throws Exception {
    String block = Readme.block("sh", "kubectl apply -f charts/sluice/crds/");
    List<String> javaArgs = new ArrayList<>();
    try (KubeApiServer kube = KubeApiServer.start()) {
      for (String line : block.lines().map(String::strip).toList()) {
        if (line.startsWith("kubectl ")) {
          String[] args = line.substring("kubectl ".length()).replace("-f charts/", "-f ../charts/").split("\\s+");
          KubeApiServer.Kubectl run = kube.kubectl(null, args);
          assertThat(run.ok()).as("README: %s -> %s", line, run.err()).isTrue();
        } else if (line.startsWith("--")) {
          for (String arg : line.replace("\\", "").trim().split("\\s+")) {
            javaArgs.add(arg.replace("$HOME/.kube/config", kube.kubeconfig().toString()));
          }
        }
      }
      assertThat(kube.kubectl(null, "wait", "--for=condition=Established", "crd/modelroutes.sluice.dev").ok()).isTrue();
      assertThat(javaArgs).contains("--sluice.store.type=kubernetes");
      assertThat(kube.kubectl(null, "create", "namespace", "ml").ok()).isTrue();

      try (ControlPlane cp = ControlPlane.prepare(store).withArgs(javaArgs.toArray(String[]::new))) {
        cp.start();
        KubeApiServer.Kubectl applied = kube.kubectl("""
            apiVersion: sluice.dev/v1alpha1
            kind: ModelRoute
            metadata: {name: fraud, namespace: ml}
            spec:
              hosts: [fraud.ml]
              port: 8080
              versions: [{name: v1, weight: 100, endpoints: ["10.0.0.1:8080"]}]
            """, "apply", "-f", "-");
        assertThat(applied.ok()).as(applied.err()).isTrue();
        long deadline = System.nanoTime() + 30_000_000_000L;
        String weights = "";
        while (!weights.equals("v1=100") && System.nanoTime() < deadline) {
          Thread.sleep(200);
          weights = kube.kubectl(null, "get", "mr", "fraud", "-n", "ml", "-o", "jsonpath={.status.weights}").out();
        }
        assertThat(weights).isEqualTo("v1=100");
        assertThat(cp.get("/api/v1/namespaces/ml/modelroutes/fraud").status()).isEqualTo(200);
      }
    }
  }
}
