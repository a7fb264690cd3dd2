package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.Release;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The README's "Install on Kubernetes", command by command, against a real kube-apiserver: {@code helm
 * install} (Helm's library), the namespace label, the ModelRoute. No kubelet runs the chart's pods, so
 * the test then runs them itself as the cluster would: the control plane with the configuration the
 * chart rendered into its ConfigMap and with a token of the chart's ServiceAccount, so the chart's RBAC
 * is all it has. It must sync, lead, write the route's status, keep its CA Secret and issue the
 * injector's certificate, trust bundle and caBundle. Then the injector runs with the configuration the
 * chart rendered for it and the files its pod would mount from that Secret and ConfigMap, and the API
 * server reaches it through the chart's Service and webhook configuration (endpoint routing, so the
 * Service resolves to this host's address, and the TLS name checked is the Service's DNS name): a pod
 * created in the labelled namespace is stored with its sidecar.
 */
class ChartInstallTest {

  @Test
  void theReadmesInstall_runsWithTheChartsConfigurationAndRbac(@TempDir Path dir) throws Exception {
    String commands = Readme.block("sh", "helm install sluice charts/sluice");
    Path route = Files.writeString(dir.resolve("fraud.yaml"), Readme.block("yaml", "# fraud.yaml"));
    // The API server reaches a webhook's Service through its endpoints (no kube-proxy here).
    String hostAddress = HostAddresses.ipv4().orElseThrow(
        () -> new IllegalStateException("the API server needs a non-loopback IPv4 address of this host to reach the webhook"));
    try (KubeApiServer kube = KubeApiServer.start(List.of("--enable-aggregator-routing=true"))) {
      for (String line : commands.lines().map(l -> l.replaceAll("\\s+#.*$", "").strip()).toList()) {
        if (line.startsWith("helm install ")) {
          Release release = helmInstall(kube, line.substring("helm install ".length()).split("\\s+"));
          assertThat(release.getStatus()).isEqualTo("deployed");
          assertThat(release.getOutput()).as("NOTES.txt")
              .contains("port-forward service/sluice 8080", "kubectl label namespace <namespace> sluice.dev/inject=enabled");
        } else if (line.startsWith("kubectl ")) {
          String[] args = line.substring("kubectl ".length()).replace("fraud.yaml", route.toString()).split("\\s+");
          KubeApiServer.Kubectl run = kube.kubectl(null, args);
          assertThat(run.ok()).as("README: %s -> %s", line, run.err()).isTrue();
        } else if (!line.isEmpty()) {
          fail("README command the test does not know: " + line);
        }
      }
      KubeApiServer.Kubectl objects = kube.kubectl(null, "get", "-n", "sluice-system", "-o", "name",
          "deployment/sluice", "deployment/sluice-injector", "service/sluice", "service/sluice-xds",
          "service/sluice-injector", "serviceaccount/sluice", "configmap/sluice", "configmap/sluice-injector",
          "poddisruptionbudget/sluice", "role/sluice-control-plane", "rolebinding/sluice-control-plane",
          "clusterrole/sluice-control-plane", "clusterrolebinding/sluice-control-plane", "clusterrole/sluice-view",
          "clusterrole/sluice-edit", "clusterrole/sluice-admin",
          "mutatingwebhookconfiguration/sluice-injector", "crd/modelroutes.sluice.dev");
      assertThat(objects.ok()).as(objects.err()).isTrue();

      Path config = Files.createDirectories(dir.resolve("control-plane"));
      Files.writeString(config.resolve("application.yaml"), configMapFile(kube, "sluice", "application\\.yaml"));
      Path kubeconfig = kube.serviceAccountKubeconfig(dir, "sluice-system", "sluice");
      try (ControlPlane cp = ControlPlane.prepare(dir.resolve("store")).withArgs(
          "--spring.config.additional-location=file:" + config + "/",
          "--sluice.kubernetes.kubeconfig=" + kubeconfig)) {
        cp.start();
        await("the leader writes fraud's status with the chart's RBAC", () -> kube.kubectl(null, "get", "mr",
            "fraud", "-n", "ml", "-o", "jsonpath={.status.weights}").out(), "v1=95 v2=5");
        assertThat(kube.kubectl(null, "get", "secret", "sluice-ca", "-n", "sluice-system").ok()).isTrue();
        assertThat(cp.get("/api/v1/namespaces/ml/modelroutes/fraud").status()).isEqualTo(200);

        String trustBundle = cp.raw(java.net.http.HttpRequest.newBuilder().GET(), "/api/v1/trust-bundle").body();
        String caBundle = Base64.getEncoder().encodeToString(trustBundle.getBytes(StandardCharsets.UTF_8));
        await("the leader sets the webhook's caBundle", () -> kube.kubectl(null, "get",
            "mutatingwebhookconfiguration", "sluice-injector", "-o", "jsonpath={.webhooks[*].clientConfig.caBundle}")
            .out(), caBundle + " " + caBundle);
        assertThat(configMapFile(kube, "sluice-trust-bundle", "ca\\.crt")).isEqualTo(trustBundle);
        // helm upgrade leaves the caBundle the chart never set (the next repair is a minute away).
        Release upgraded = HelmChart.helm().upgrade().withName("sluice").withNamespace("sluice-system")
            .set("injector.timeoutSeconds", 12).withKubeConfig(kube.kubeconfig()).call();
        assertThat(upgraded.getRevision()).isEqualTo("2");
        assertThat(kube.kubectl(null, "get", "mutatingwebhookconfiguration", "sluice-injector", "-o",
            "jsonpath={.webhooks[*].timeoutSeconds} {.webhooks[*].clientConfig.caBundle}").out())
            .isEqualTo("12 12 " + caBundle + " " + caBundle);

        Path mounted = Files.createDirectories(dir.resolve("injector"));
        Files.writeString(mounted.resolve("sluice-injector.yaml"),
            configMapFile(kube, "sluice-injector", "sluice-injector\\.yaml"));
        Files.writeString(mounted.resolve("ca.crt"), trustBundle);
        for (String key : List.of("tls.crt", "tls.key")) {
          Files.write(mounted.resolve(key), Base64.getDecoder().decode(kube.kubectl(null, "get", "secret",
              "sluice-injector-tls", "-n", "sluice-system", "-o", "jsonpath={.data." + key.replace(".", "\\.") + "}")
              .out()));
        }
        try (ConfigurableApplicationContext injector = InjectorWebhook.run(
            "--spring.config.additional-location=file:" + mounted + "/",
            "--server.address=" + hostAddress,
            "--sluice.injector.tls.cert-file=" + mounted.resolve("tls.crt"),
            "--sluice.injector.tls.key-file=" + mounted.resolve("tls.key"),
            "--sluice.injector.trust-bundle-file=" + mounted.resolve("ca.crt"))) {
          int port = ((WebServerApplicationContext) injector).getWebServer().getPort();
          kube.apply(injectorEndpoints(hostAddress, port));
          KubeApiServer.Kubectl created = kube.kubectl("""
              apiVersion: v1
              kind: Pod
              metadata: {name: fraud-v1-0, namespace: ml, labels: {app: fraud, version: v1}}
              spec:
                serviceAccountName: default   # what the ServiceAccount admission plugin (off here) would set
                containers: [{name: model, image: registry.example/fraud:1, ports: [{containerPort: 8080}]}]
              """, "create", "-f", "-");
          assertThat(created.ok()).as("pod CREATE through the chart's webhook: %s", created.err()).isTrue();
          String initContainers = kube.kubectl(null, "get", "pod", "fraud-v1-0", "-n", "ml", "-o",
              "jsonpath={.spec.initContainers[*].name}").out();
          assertThat(initContainers).isEqualTo("sluice-init sluice-proxy");
          String proxyArgs = kube.kubectl(null, "get", "pod", "fraud-v1-0", "-n", "ml", "-o",
              "jsonpath={.spec.initContainers[1].args}").out();
          assertThat(proxyArgs).as("the sidecar dials the chart's xDS Service")
              .contains("sluice-xds.sluice-system.svc").contains("18001");
        }
      }
    }
  }

  /**
   * What the endpoints controller would write for the chart's injector Service if its pod ran at this
   * host's address: the API server's endpoint routing resolves the Service to it.
   */
  private static String injectorEndpoints(String address, int port) {
    return """
        apiVersion: v1
        kind: Endpoints
        metadata: {name: sluice-injector, namespace: sluice-system}
        subsets: [{addresses: [{ip: "%1$s"}], ports: [{name: https-webhook, port: %2$d, protocol: TCP}]}]
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: sluice-injector-host
          namespace: sluice-system
          labels: {kubernetes.io/service-name: sluice-injector}
        addressType: IPv4
        endpoints: [{addresses: ["%1$s"], conditions: {ready: true}}]
        ports: [{name: https-webhook, port: %2$d, protocol: TCP}]
        """.formatted(address, port);
  }

  /** {@code helm install <release> <chart> [-n <namespace>] [--create-namespace]}, as the helm command. */
  private static Release helmInstall(KubeApiServer kube, String[] args) {
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    assertThat(rest.remove(1)).as("the chart").isEqualTo("charts/sluice");
    InstallCommand install = HelmChart.helm().install().withName(rest.remove(0)).withKubeConfig(kube.kubeconfig());
    while (!rest.isEmpty()) {
      String flag = rest.remove(0);
      switch (flag) {
        case "-n", "--namespace" -> install = install.withNamespace(rest.remove(0));
        case "--create-namespace" -> install = install.createNamespace();
        default -> fail("helm install flag the test does not know: " + flag);
      }
    }
    return install.call();
  }

  /** A file of a ConfigMap the chart made, as the pod would see it mounted. */
  private static String configMapFile(KubeApiServer kube, String name, String escapedKey) {
    KubeApiServer.Kubectl get = kube.kubectl(null, "get", "configmap", name, "-n", "sluice-system",
        "-o", "jsonpath={.data." + escapedKey + "}");
    assertThat(get.ok()).as(get.err()).isTrue();
    return get.out();
  }

  private static void await(String what, Supplier<String> actual, String expected) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    String last = actual.get();
    while (!expected.equals(last) && System.nanoTime() < deadline) {
      Thread.sleep(250);
      last = actual.get();
    }
    assertThat(last).as(what).isEqualTo(expected);
  }
}
