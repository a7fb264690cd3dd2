package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In Kubernetes mode the REST API takes a Kubernetes token made for Sluice ({@code kubectl create token
 * <sa> --audience sluice}): the real API server's TokenReview says who it is, and a SubjectAccessReview whether Kubernetes RBAC lets it
 * do this request, with the chart's roles (sluice-view, sluice-edit, sluice-admin) bound per
 * namespace. The control plane itself runs with the chart's ServiceAccount and RBAC.
 */
class KubernetesRestAuthTest {
  @TempDir static Path dir;
  private static KubeApiServer kube;
  private static ControlPlane cp;

  @BeforeAll
  static void start() throws Exception {
    kube = KubeApiServer.startWithCrd("sluice-system", "ml", "prod");
    kube.apply(HelmChart.rbac());
    String[][] callers = {{"pipeline", "sluice-edit"}, {"reader", "sluice-view"}, {"deployer", "sluice-admin"},
        {"nobody", null}};
    for (String[] caller : callers) {
      assertThat(kube.kubectl(null, "create", "serviceaccount", caller[0], "-n", "ml").ok()).isTrue();
      if (caller[1] != null) {
        assertThat(kube.kubectl(null, "create", "rolebinding", caller[0], "-n", "ml", "--clusterrole=" + caller[1],
            "--serviceaccount=ml:" + caller[0]).ok()).isTrue();
      }
    }
    Path kubeconfig = kube.serviceAccountKubeconfig(dir, "sluice-system", "sluice");
    cp = ControlPlane.prepare(dir.resolve("store")).withArgs("--sluice.store.type=kubernetes",
        "--sluice.kubernetes.kubeconfig=" + kubeconfig);
    cp.start();
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

  private static int call(String caller, String method, String path, String body) {
    String authorization = caller == null ? null
        : caller.startsWith("Bearer ") ? caller : "Bearer " + kube.serviceAccountToken("ml", caller, "sluice");
    HttpRequest.Builder request = HttpRequest.newBuilder().header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return cp.rawAs(authorization, request, path).status();
  }

  @Test
  void rbac_decidesWhoMayReadAndWriteWhichNamespace() {
    String route = "/api/v1/namespaces/ml/modelroutes/fraud";
    String body = Routes.single("fraud.ml", "10.0.0.1:8080", null);
    assertThat(call("pipeline", "PUT", route, body)).as("sluice-edit in ml writes ml").isEqualTo(201);
    assertThat(call("pipeline", "PUT", "/api/v1/namespaces/prod/modelroutes/fraud", body)).as("not prod").isEqualTo(403);
    assertThat(call("pipeline", "GET", route, null)).isEqualTo(200);
    assertThat(call("reader", "GET", route, null)).as("sluice-view reads").isEqualTo(200);
    assertThat(call("reader", "GET", "/api/v1/namespaces/ml/modelroutes", null)).isEqualTo(200);
    assertThat(call("reader", "PUT", route, body)).as("but does not write").isEqualTo(403);
    assertThat(call("reader", "GET", "/api/v1/modelroutes", null)).as("nor read every namespace").isEqualTo(403);
    assertThat(call("nobody", "GET", route, null)).as("no binding, no access").isEqualTo(403);
    assertThat(call("pipeline", "POST", "/api/v1/namespaces/ml/bootstrap", "{\"serviceAccount\": \"gw\", \"nodeId\": \"gw-1\"}"))
        .as("minting needs bootstraptokens create").isEqualTo(403);
    assertThat(call("deployer", "POST", "/api/v1/namespaces/ml/bootstrap", "{\"serviceAccount\": \"gw\", \"nodeId\": \"gw-1\"}"))
        .as("sluice-admin mints in ml").isEqualTo(201);
    assertThat(call("deployer", "GET", "/api/v1/tokens", null)).as("listing every token is cluster-wide").isEqualTo(403);
  }

  @Test
  void aTokenForTheApiServersOwnAudience_isNotTaken() {
    // It would let Sluice act as the caller against the cluster: Sluice accepts only tokens made for it.
    String forKubernetes = "Bearer " + kube.serviceAccountToken("ml", "pipeline");
    assertThat(call(forKubernetes, "GET", "/api/v1/namespaces/ml/modelroutes", null)).isEqualTo(401);
  }

  @Test
  void aTokenTheApiServerRefuses_is401_andNoTokenIs401() {
    assertThat(call("Bearer not-a-kubernetes-token", "GET", "/api/v1/namespaces/ml/modelroutes", null)).isEqualTo(401);
    assertThat(call("Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl", "GET", "/api/v1/namespaces/ml/modelroutes",
        null)).as("a JWT TokenReview refuses").isEqualTo(401);
    assertThat(call(null, "GET", "/api/v1/namespaces/ml/modelroutes", null)).isEqualTo(401);
    assertThat(call(null, "GET", "/api/v1/trust-bundle", null)).isEqualTo(200);
  }
}
