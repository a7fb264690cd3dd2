package dev.sluice.benchmarks;

import dev.sluice.controlplane.ca.CaProperties;
import dev.sluice.controlplane.ca.CaRoot;
import dev.sluice.controlplane.ca.CertificateAuthority;
import dev.sluice.controlplane.ca.IssuedCertificate;
import dev.sluice.injector.InjectorApplication;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The webhook's latency per AdmissionReview at a fixed rate (issue 14: 200 pods/s, target p99 at
 * most 10 ms). The injector runs in this JVM as it ships (HTTPS with a certificate from Sluice's CA,
 * one log line per admission, its own settings file); the load comes from {@code injector-load}, a
 * Go program in {@code benchmarks/injector-load} that calls it as the kube-apiserver does (Go's HTTP
 * client, HTTP/2, connections reused, open loop), with the review of a typical Deployment pod.
 *
 * <p>Arguments: the injector-load binary, rate per second, seconds of warm-up (same rate, not
 * counted), seconds measured; any further arguments go to the injector ({@code --name=value}).
 */
public final class InjectorLatency {
  public static void main(String[] args) throws Exception {
    String load = args[0];
    int rate = Integer.parseInt(args[1]);
    int warmUp = Integer.parseInt(args[2]);
    int run = Integer.parseInt(args[3]);
    Path dir = Files.createTempDirectory("sluice-injector-bench-");
    CaProperties properties = CaProperties.defaults();
    CertificateAuthority ca = new CertificateAuthority(CaRoot.generate(properties, Clock.systemUTC()), properties,
        Clock.systemUTC());
    IssuedCertificate serving = ca.issueServer(); // carries 127.0.0.1, where the client dials
    Files.writeString(dir.resolve("tls.crt"), serving.certificateChainPem());
    Files.writeString(dir.resolve("tls.key"), serving.privateKeyPem());
    Files.writeString(dir.resolve("ca.pem"), ca.trustBundlePem());
    Files.writeString(dir.resolve("review.json"), review());
    List<String> appArgs = new ArrayList<>(List.of(
        "--server.port=0", "--server.address=127.0.0.1", "--management.server.port=0",
        "--sluice.injector.tls.cert-file=" + dir.resolve("tls.crt"),
        "--sluice.injector.tls.key-file=" + dir.resolve("tls.key"),
        "--sluice.injector.trust-bundle-file=" + dir.resolve("ca.pem")));
    appArgs.addAll(Arrays.asList(args).subList(4, args.length));
    try (ConfigurableApplicationContext app = InjectorApplication.builder().run(appArgs.toArray(String[]::new))) {
      int port = Integer.parseInt(app.getEnvironment().getRequiredProperty("local.server.port"));
      Process client = new ProcessBuilder(load, "-url", "https://127.0.0.1:" + port + "/inject",
          "-ca", dir.resolve("ca.pem").toString(), "-body", dir.resolve("review.json").toString(),
          "-rate", Integer.toString(rate), "-warmup", warmUp + "s", "-run", run + "s")
          .redirectErrorStream(true).start();
      String result = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (client.waitFor() != 0) {
        throw new IllegalStateException("injector-load failed: " + result);
      }
      System.out.printf("%s (injector: %s %s, %d cores)%n", result, System.getProperty("java.vm.name"),
          System.getProperty("java.runtime.version"), Runtime.getRuntime().availableProcessors());
    }
  }

  /** The CREATE review of a Deployment's pod: one container with ports, probes, env and resources. */
  private static String review() {
    return """
        {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
         "request": {"uid": "bench", "kind": {"group": "", "version": "v1", "kind": "Pod"},
          "resource": {"group": "", "version": "v1", "resource": "pods"}, "namespace": "ml", "operation": "CREATE",
          "userInfo": {"username": "system:serviceaccount:kube-system:replicaset-controller"},
          "object": {"apiVersion": "v1", "kind": "Pod",
           "metadata": {"generateName": "fraud-scorer-7d9f8-", "namespace": "ml",
             "labels": {"app": "fraud-scorer", "version": "v1", "pod-template-hash": "7d9f8"},
             "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "fraud-scorer-7d9f8",
               "uid": "0a1f6a1c-0001", "controller": true, "blockOwnerDeletion": true}]},
           "spec": {"serviceAccountName": "fraud-scorer",
             "containers": [{"name": "triton", "image": "nvcr.io/nvidia/tritonserver:24.08-py3",
               "args": ["tritonserver", "--model-repository=/models", "--http-port=8000", "--grpc-port=8001"],
               "ports": [{"name": "http", "containerPort": 8000}, {"name": "grpc", "containerPort": 8001},
                 {"name": "metrics", "containerPort": 8002}],
               "env": [{"name": "MODEL_NAME", "value": "fraud-scorer"}, {"name": "LOG_VERBOSE", "value": "0"}],
               "resources": {"requests": {"cpu": "2", "memory": "8Gi"}, "limits": {"nvidia.com/gpu": "1"}},
               "readinessProbe": {"httpGet": {"path": "/v2/health/ready", "port": "http"}, "periodSeconds": 5},
               "livenessProbe": {"httpGet": {"path": "/v2/health/live", "port": "http"}, "periodSeconds": 10},
               "volumeMounts": [{"name": "models", "mountPath": "/models", "readOnly": true}]}],
             "volumes": [{"name": "models", "persistentVolumeClaim": {"claimName": "fraud-scorer-models"}}]}}}}
        """;
  }

  private InjectorLatency() {}
}
