package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real kube-apiserver with its etcd on loopback, started by fabric8's kube-api-test in offline
 * mode from the binaries peers/install built, in a folder of its own under {@code target/kube/}.
 * No kubelet, scheduler or controllers: tests create Pods and EndpointSlices as API objects.
 */
final class KubeApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KubeApiServer.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final KubeAPIServer server;
  private final Path dir;
  private final Path kubeconfig;
  private final Path kubectl;

  private KubeApiServer(KubeAPIServer server, Path dir, Path kubeconfig, Path kubectl) {
    this.server = server;
    this.dir = dir;
    this.kubeconfig = kubeconfig;
    this.kubectl = kubectl;
  }

  /** Starts one; skips the test (or fails it on CI) when peers/install has not built the binaries. */
  static KubeApiServer start() throws IOException {
    return start(List.of());
  }

  /** Starts one with the CRD installed and these namespaces made: what most Kubernetes tests begin with. */
  static KubeApiServer startWithCrd(String... namespaces) throws IOException {
    KubeApiServer kube = start();
    kube.installCrd();
    for (String namespace : namespaces) {
      Kubectl created = kube.kubectl(null, "create", "namespace", namespace);
      assertThat(created.ok()).as(created.err()).isTrue();
    }
    return kube;
  }

  /** Starts one with these extra kube-apiserver flags, each {@code --name=value}. */
  static KubeApiServer start(List<String> flags) throws IOException {
    String version = Peers.version("kubernetes");
    Path bin = Peers.installedKube().orElseThrow(
        () -> Peers.missing("no kube-apiserver " + version + " in " + Peers.cache()));
    Path dir = Path.of("target", "kube", "api-" + ProcessHandle.current().pid() + "-" + INSTANCES.incrementAndGet())
        .toAbsolutePath();
    // kube-api-test looks for <dir>/k8s/<version>-<os>-<arch>/{kube-apiserver,etcd,kubectl}.
    Path binaries = dir.resolve("k8s").resolve(version + "-linux-amd64");
    Files.createDirectories(binaries);
    for (String program : List.of("kube-apiserver", "etcd", "kubectl")) {
      Files.deleteIfExists(binaries.resolve(program));
      Files.createSymbolicLink(binaries.resolve(program), bin.resolve(program));
    }
    KubeAPIServerConfigBuilder config = KubeAPIServerConfigBuilder.anAPIServerConfig();
    flags.forEach(config::withApiServerFlag);
    KubeAPIServer server = new KubeAPIServer(config
        .withTestDir(dir.toString())
        .withApiServerVersion(version)
        .withOfflineMode(true)
        .withUpdateKubeConfig(false)
        .withStartupTimeout(120_000)
        .build());
    long started = System.nanoTime();
    server.start();
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, server.getKubeConfigYaml(), StandardCharsets.UTF_8);
    log.info("kube-apiserver {} ready in {} ms; kubeconfig {}", version,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), kubeconfig);
    return new KubeApiServer(server, dir, kubeconfig, bin.resolve("kubectl"));
  }

  Path kubeconfig() {
    return kubeconfig;
  }

  /**
   * A kubeconfig in {@code dir} that acts as {@code namespace/serviceAccount}, with a token the API
   * server issued for it (1 h): what that service account's pod would use.
   */
  Path serviceAccountKubeconfig(Path dir, String namespace, String serviceAccount) throws IOException {
    String token = serviceAccountToken(namespace, serviceAccount);
    Config admin = Config.fromKubeconfig(server.getKubeConfigYaml());
    String yaml = """
        apiVersion: v1
        kind: Config
        clusters: [{name: test, cluster: {server: "%s", certificate-authority: "%s"}}]
        users: [{name: %s, user: {token: "%s"}}]
        contexts: [{name: sa, context: {cluster: test, user: %s}}]
        current-context: sa
        """.formatted(admin.getMasterUrl(), admin.getCaCertFile(), serviceAccount, token, serviceAccount);
    return Files.writeString(dir.resolve(namespace + "-" + serviceAccount + ".kubeconfig"), yaml, StandardCharsets.UTF_8);
  }

  /** {@code kubectl create token <serviceAccount> -n <namespace>}: a token of the API server's own audience. */
  String serviceAccountToken(String namespace, String serviceAccount) {
    return serviceAccountToken(namespace, serviceAccount, null);
  }

  /** The same for {@code audience} (null: the API server's own). */
  String serviceAccountToken(String namespace, String serviceAccount, String audience) {
    List<String> args = new ArrayList<>(List.of("create", "token", serviceAccount, "-n", namespace, "--duration=1h"));
    if (audience != null) {
      args.add("--audience=" + audience);
    }
    Kubectl token = kubectl(null, args.toArray(String[]::new));
    if (!token.ok()) {
      throw new IllegalStateException("kubectl create token " + serviceAccount + ": " + token.err());
    }
    return token.out().strip();
  }

  /** A fabric8 client with the cluster-admin identity kube-api-test made. */
  KubernetesClient client() {
    return new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(server.getKubeConfigYaml()))
        .build();
  }

  /** The outcome of one kubectl run. */
  record Kubectl(int exitCode, String out, String err) {
    boolean ok() {
      return exitCode == 0;
    }
  }

  /** Runs the real kubectl against this server, with {@code stdin} as its input when not null. */
  Kubectl kubectl(String stdin, String... args) {
    List<String> command = new ArrayList<>(List.of(kubectl.toString(), "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    try {
      Path out = Files.createTempFile(dir, "kubectl", ".out");
      Path err = Files.createTempFile(dir, "kubectl", ".err");
      ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      if (stdin == null) {
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      }
      Process p = pb.start();
      if (stdin != null) {
        try (var in = p.getOutputStream()) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("kubectl " + args[0] + " did not finish in 60 s");
      }
      Kubectl result = new Kubectl(p.exitValue(), Files.readString(out), Files.readString(err));
      log.info("kubectl {} -> exit {}{}", String.join(" ", args), result.exitCode(),
          result.ok() ? "" : ": " + result.err().strip());
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code kubectl apply -f -} of a document that must be taken; fails the test with kubectl's message. */
  Kubectl apply(String yaml) {
    Kubectl applied = kubectl(yaml, "apply", "-f", "-");
    assertThat(applied.ok()).as(applied.err()).isTrue();
    return applied;
  }

  /** Applies the generated CRD and waits until the API server serves it. */
  void installCrd() {
    Path crd = Path.of("..", "charts", "sluice", "crds", "modelroutes.sluice.dev.yaml").toAbsolutePath().normalize();
    Kubectl apply = kubectl(null, "apply", "-f", crd.toString());
    if (!apply.ok()) {
      throw new IllegalStateException("the CRD was refused: " + apply.err());
    }
    Kubectl established = kubectl(null, "wait", "--for=condition=Established", "--timeout=60s",
        "crd/modelroutes.sluice.dev");
    if (!established.ok()) {
      throw new IllegalStateException("the CRD never became Established: " + established.err());
    }
  }

  @Override
  public void close() {
    server.stop();
  }
}
