package dev.sluice.benchmarks.load;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real kube-apiserver with its etcd on loopback, for the slice churn run: started by fabric8's
 * kube-api-test in offline mode from the binaries {@code conformance-tests/peers/install kube}
 * built, in a folder of its own under {@code target/kube/}. No kubelet or controllers run; the
 * benchmark writes EndpointSlices as API objects. Runs from the benchmarks module's folder.
 */
final class KubeApi implements AutoCloseable {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  private final KubeAPIServer server;
  private final Path kubeconfig;

  private KubeApi(KubeAPIServer server, Path kubeconfig) {
    this.server = server;
    this.kubeconfig = kubeconfig;
  }

  static KubeApi start() throws IOException {
    String version = pinnedVersion();
    Path bin = cache().resolve("kube-" + version);
    if (!Files.exists(bin.resolve(".installed"))) {
      throw new IllegalStateException("no kube-apiserver " + version + " in " + bin
          + ": run conformance-tests/peers/install kube first");
    }
    Path dir = Path.of("target", "kube", "api-" + ProcessHandle.current().pid()).toAbsolutePath();
    // kube-api-test looks for <dir>/k8s/<version>-<os>-<arch>/{kube-apiserver,etcd,kubectl}.
    Path binaries = dir.resolve("k8s").resolve(version + "-linux-amd64");
    Files.createDirectories(binaries);
    for (String program : List.of("kube-apiserver", "etcd", "kubectl")) {
      Files.deleteIfExists(binaries.resolve(program));
      Files.createSymbolicLink(binaries.resolve(program), bin.resolve("bin").resolve(program));
    }
    KubeAPIServer server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
        .withTestDir(dir.toString())
        .withApiServerVersion(version)
        .withOfflineMode(true)
        .withUpdateKubeConfig(false)
        .withStartupTimeout(120_000)
        .build());
    server.start();
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, server.getKubeConfigYaml(), StandardCharsets.UTF_8);
    return new KubeApi(server, kubeconfig);
  }

  Path kubeconfig() {
    return kubeconfig;
  }

  /** A fabric8 client with the cluster-admin identity kube-api-test made. */
  KubernetesClient client() {
    return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(server.getKubeConfigYaml())).build();
  }

  /** Creates the namespaces and the ModelRoute CRD, and waits until the API server serves it. */
  void prepare(KubernetesClient client, List<String> namespaces) throws IOException {
    for (String ns : namespaces) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    }
    Path file = REPO.resolve("charts/sluice/crds/modelroutes.sluice.dev.yaml");
    CustomResourceDefinition crd;
    try (InputStream in = Files.newInputStream(file)) {
      crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
    }
    client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
        .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions() != null
                && c.getStatus().getConditions().stream()
                    .anyMatch(k -> k.getType().equals("Established") && k.getStatus().equals("True")),
            Duration.ofSeconds(60).toMillis(), TimeUnit.MILLISECONDS);
  }

  /** CPU time so far of the kube-apiserver and etcd processes this JVM started, in nanoseconds. */
  static long cpuNanos() {
    return ProcessHandle.current().descendants()
        .filter(p -> p.info().command().map(c -> c.endsWith("kube-apiserver") || c.endsWith("etcd")).orElse(false))
        .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L))
        .sum();
  }

  @Override
  public void close() {
    server.stop();
  }

  /** The Kubernetes version {@code conformance-tests/peers/versions.properties} pins. */
  private static String pinnedVersion() throws IOException {
    Properties versions = new Properties();
    try (InputStream in = Files.newInputStream(REPO.resolve("conformance-tests/peers/versions.properties"))) {
      versions.load(in);
    }
    String v = versions.getProperty("kubernetes");
    if (v == null) {
      throw new IllegalStateException("no kubernetes version in conformance-tests/peers/versions.properties");
    }
    return v.trim();
  }

  /** {@code $SLUICE_CACHE}, else {@code $XDG_CACHE_HOME/sluice}, else {@code ~/.cache/sluice}, as peers/install has it. */
  private static Path cache() {
    String explicit = System.getenv("SLUICE_CACHE");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("sluice");
  }
}
