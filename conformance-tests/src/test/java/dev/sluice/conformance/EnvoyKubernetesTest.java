package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Kubernetes mode against a real kube-apiserver: ModelRoutes written with {@code kubectl apply}
 * reach a real Envoy and a grpc-java client; REST writes land in the API server; a ModelRoute the
 * API server takes but Sluice cannot serve leaves every other route alone.
 */
class EnvoyKubernetesTest {
  private static KubeApiServer kube;

  @RegisterExtension
  static final EnvoySuite suite = EnvoySuite.gateway("envoy-kube-1").withControlPlane(store -> {
    kube = KubeApiServer.start();
    kube.installCrd();
    for (String namespace : new String[] {"ml", "sluice-system"}) {
      if (!kube.kubectl(null, "create", "namespace", namespace).ok()) {
        throw new IllegalStateException("cannot create namespace " + namespace);
      }
    }
    ControlPlane cp = ControlPlane.prepare(store).withArgs(
        "--sluice.store.type=kubernetes",
        "--sluice.kubernetes.kubeconfig=" + kube.kubeconfig());
    cp.closing(kube);
    cp.start();
    return cp;
  });

  @Test
  @DisplayName("kubectl apply reaches Envoy and a grpc-java client; a weight change moves the traffic")
  void kubectlApply_reachesEnvoyAndGrpcJava() throws Exception {
    try (HttpBackend v1 = new HttpBackend("v1"); HttpBackend v2 = new HttpBackend("v2");
        TaggedBackend g1 = new TaggedBackend("g1"); TaggedBackend g2 = new TaggedBackend("g2")) {
      kube.apply(route("kube-http", "HTTP", v1.endpoint(), 100, v2.endpoint(), 0));
      suite.envoy().awaitFirst200("kube-http.ml", Duration.ofSeconds(30));
      assertThat(suite.envoy().served("kube-http.ml", 20)).containsOnlyKeys("v1");

      kube.apply(route("kube-http", "HTTP", v1.endpoint(), 0, v2.endpoint(), 100));
      awaitOnly("kube-http.ml", "v2");

      kube.apply(route("kube-grpc", "GRPC", g1.endpoint(), 100, g2.endpoint(), 0));
      try (ProxylessClient client = new ProxylessClient(suite.cp().grpcBootstrap("kube-client"), "kube-grpc.ml")) {
        assertThat(client.calls(20, Duration.ofSeconds(20), Map.of())).containsOnly("g1");
        kube.apply(route("kube-grpc", "GRPC", g1.endpoint(), 0, g2.endpoint(), 100));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!client.calls(10, Duration.ofSeconds(5), Map.of()).stream().allMatch("g2"::equals)) {
          assertThat(System.nanoTime()).as("grpc-java still on g1 30 s after kubectl apply").isLessThan(deadline);
          Thread.sleep(100);
        }
      }
      suite.detail("kubectl apply: Envoy served v1, then v2 after the weight change; grpc-java likewise");
    }
  }

  @Test
  @DisplayName("REST writes go to the API server: kubectl sees them, stale If-Match is 409, DELETE removes it")
  void restWrites_landInTheApiServer() throws Exception {
    try (HttpBackend v1 = new HttpBackend("v1")) {
      suite.putRoute("kube-rest", """
          {"spec": {"hosts": ["kube-rest.ml"], "port": 8080,
            "versions": [{"name": "v1", "weight": 100, "endpoints": ["%s"]}]}}""".formatted(v1.endpoint()));
      KubeApiServer.Kubectl get = kube.kubectl(null, "get", "mr", "kube-rest", "-n", "ml",
          "-o", "jsonpath={.metadata.resourceVersion} {.spec.versions[0].endpoints[0]}");
      assertThat(get.ok()).as(get.err()).isTrue();
      String resourceVersion = get.out().split(" ")[0];
      assertThat(get.out()).endsWith(v1.endpoint());

      ControlPlane.Response one = suite.cp().get("/api/v1/namespaces/ml/modelroutes/kube-rest");
      assertThat(one.body().at("/metadata/resourceVersion").asString()).isEqualTo(resourceVersion);

      kube.kubectl(null, "label", "mr", "kube-rest", "-n", "ml", "team=risk");
      ControlPlane.RawResponse stale = suite.cp().raw(java.net.http.HttpRequest.newBuilder()
          .header("Content-Type", "application/json").header("If-Match", "\"" + resourceVersion + "\"")
          .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("""
              {"spec": {"hosts": ["kube-rest.ml"], "port": 8080,
                "versions": [{"name": "v1", "weight": 100, "endpoints": ["127.0.0.1:9"]}]}}""")),
          "/api/v1/namespaces/ml/modelroutes/kube-rest");
      assertThat(stale.status()).as(stale.body()).isEqualTo(409);
      assertThat(kube.kubectl(null, "get", "mr", "kube-rest", "-n", "ml", "-o",
          "jsonpath={.spec.versions[0].endpoints[0]}").out()).isEqualTo(v1.endpoint());

      assertThat(suite.cp().delete("/api/v1/namespaces/ml/modelroutes/kube-rest").status()).isEqualTo(200);
      assertThat(kube.kubectl(null, "get", "mr", "kube-rest", "-n", "ml").err()).contains("NotFound");
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (suite.envoy().get("kube-rest.ml").status() == 200) {
        assertThat(System.nanoTime()).as("Envoy still routes kube-rest.ml 30 s after DELETE").isLessThan(deadline);
        Thread.sleep(100);
      }
    }
  }

  @Test
  @DisplayName("a ModelRoute the API server takes but Sluice refuses is left out; other routes are untouched")
  void invalidForSluice_leavesOthersAlone() throws Exception {
    try (HttpBackend v1 = new HttpBackend("v1")) {
      kube.apply(route("kube-good", "HTTP", v1.endpoint(), 100, "127.0.0.1:9", 0));
      suite.envoy().awaitFirst200("kube-good.ml", Duration.ofSeconds(30));

      // The schema cannot tell an address from a string; the policy model can, so this route must
      // reach no proxy.
      String bad = route("kube-bad", "HTTP", "not-an-address", 100, "127.0.0.1:9", 0);
      KubeApiServer.Kubectl applied = kube.apply(bad);
      assertThat(applied.ok()).isTrue();
      Thread.sleep(1000); // a publish, had the route been taken, lands well within this
      assertThat(suite.envoy().served("kube-good.ml", 20)).containsOnlyKeys("v1");
      assertThat(suite.envoy().get("kube-bad.ml").status()).isEqualTo(404);
      assertThat(suite.cp().get("/api/v1/namespaces/ml/modelroutes/kube-good").status()).isEqualTo(200);
      suite.detail("kube-bad refused by Sluice, kube-good served 20 of 20");
    }
  }

  @Test
  @DisplayName("status: Accepted, Programmed once Envoy runs it, observedGeneration, weights; no writes when nothing changes")
  void status_writtenByTheLeader() throws Exception {
    try (HttpBackend v1 = new HttpBackend("v1")) {
      kube.apply(route("kube-status", "HTTP", v1.endpoint(), 90, "127.0.0.1:9", 10));
      suite.envoy().awaitFirst200("kube-status.ml", Duration.ofSeconds(30));
      String jsonPath = "jsonpath={.metadata.generation} {.status.observedGeneration} {.status.weights}"
          + " {.status.conditions[?(@.type==\"Accepted\")].status}"
          + " {.status.conditions[?(@.type==\"Programmed\")].status}";
      awaitKubectl("1 1 v1=90 v2=10 True True", "get", "mr", "kube-status", "-n", "ml", "-o", jsonPath);

      kube.apply(route("kube-status", "HTTP", v1.endpoint(), 80, "127.0.0.1:9", 20));
      awaitKubectl("2 2 v1=80 v2=20 True True", "get", "mr", "kube-status", "-n", "ml", "-o", jsonPath);
      KubeApiServer.Kubectl table = kube.kubectl(null, "get", "mr", "kube-status", "-n", "ml");
      assertThat(table.out()).contains("v1=80 v2=20", "True");

      // Settled: the leader's rounds find nothing to write, so the object stays at one resourceVersion.
      String before = kube.kubectl(null, "get", "mr", "kube-status", "-n", "ml", "-o", "jsonpath={.metadata.resourceVersion}").out();
      Thread.sleep(3000);
      String after = kube.kubectl(null, "get", "mr", "kube-status", "-n", "ml", "-o", "jsonpath={.metadata.resourceVersion}").out();
      assertThat(after).as("resourceVersion 3 s after the status settled").isEqualTo(before);

      kube.apply(route("kube-refused", "HTTP", "not-an-address", 100, "127.0.0.1:9", 0));
      awaitKubectl("False", "get", "mr", "kube-refused", "-n", "ml", "-o",
          "jsonpath={.status.conditions[?(@.type==\"Accepted\")].status}");
      assertThat(kube.kubectl(null, "get", "mr", "kube-refused", "-n", "ml", "-o",
          "jsonpath={.status.conditions[0].message}").out()).contains("spec.versions[0].endpoints[0]", "not-an-address");
      suite.detail("status 1/1 then 2/2, Programmed True, resourceVersion steady when settled; refused route Accepted False");
    }
  }

  @Test
  @DisplayName("revisions kept in a ConfigMap by the leader; rollback through the REST API moves the traffic back")
  void revisions_andRollback() throws Exception {
    try (HttpBackend v1 = new HttpBackend("v1"); HttpBackend v2 = new HttpBackend("v2")) {
      kube.apply(route("kube-history", "HTTP", v1.endpoint(), 100, v2.endpoint(), 0));
      suite.envoy().awaitFirst200("kube-history.ml", Duration.ofSeconds(30));
      awaitKubectl("1", "get", "mr", "kube-history", "-n", "ml", "-o", "jsonpath={.status.observedGeneration}");
      kube.apply(route("kube-history", "HTTP", v1.endpoint(), 0, v2.endpoint(), 100));
      awaitOnly("kube-history.ml", "v2");
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      String data = "";
      while (!(data.contains("\"1\":") && data.contains("\"2\":")) && System.nanoTime() < deadline) {
        Thread.sleep(200);
        data = kube.kubectl(null, "get", "configmap", "sluice-revisions-kube-history", "-n", "ml", "-o",
            "jsonpath={.data}").out();
      }
      assertThat(data).as("the leader's ConfigMap of revisions").contains("\"1\":", "\"2\":");
      ControlPlane.Response revisions = suite.cp().get("/api/v1/namespaces/ml/modelroutes/kube-history/revisions");
      assertThat(revisions.body().path("items")).extracting(i -> i.path("revision").asLong()).containsExactly(1L, 2L);

      ControlPlane.Response rolledBack = suite.cp().post("/api/v1/namespaces/ml/modelroutes/kube-history/rollback?revision=1", "");
      assertThat(rolledBack.status()).as(rolledBack.body().toString()).isEqualTo(200);
      awaitOnly("kube-history.ml", "v1");
      assertThat(kube.kubectl(null, "get", "mr", "kube-history", "-n", "ml", "-o",
          "jsonpath={.metadata.generation} {.spec.versions[0].weight}").out()).isEqualTo("3 100");
      suite.detail("revisions 1 and 2 in ConfigMap sluice-revisions-kube-history; rollback to 1 made generation 3, traffic on v1");
    }
  }

  private static void awaitKubectl(String expected, String... args) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String last = null;
    while (System.nanoTime() < deadline) {
      last = kube.kubectl(null, args).out().strip();
      if (last.equals(expected)) {
        return;
      }
      Thread.sleep(200);
    }
    assertThat(last).as("kubectl %s, 30 s on", String.join(" ", args)).isEqualTo(expected);
  }


  private static String route(String name, String protocol, String e1, int w1, String e2, int w2) {
    return """
        apiVersion: sluice.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: %s, namespace: ml}
        spec:
          hosts: [%s.ml]
          port: 8080
          protocol: %s
          versions:
          - {name: v1, weight: %d, endpoints: ["%s"]}
          - {name: v2, weight: %d, endpoints: ["%s"]}
        """.formatted(name, name, protocol, w1, e1, w2, e2);
  }


  private static void awaitOnly(String host, String version) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!suite.envoy().served(host, 10).keySet().equals(java.util.Set.of(version))) {
      assertThat(System.nanoTime()).as("%s not all on %s 30 s after kubectl apply", host, version).isLessThan(deadline);
      Thread.sleep(100);
    }
  }
}
