package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.injector.inject.Annotations;
import dev.sluice.injector.inject.InjectionTemplate;
import dev.sluice.injector.webhook.WebhookConfigurations;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The sidecar injector behind a real kube-apiserver: the rendered MutatingWebhookConfiguration is
 * accepted, the API server calls the injector over HTTPS (trusting it through {@code caBundle}), and
 * the pods it stores are injected exactly when the contract says. No kubelet: pods stay Pending,
 * which is all this needs. The API server defaults fields after mutation, so only the fields the
 * injector owns are asserted.
 */
class KubernetesInjectionTest {
  private static KubeApiServer kube;
  private static KubernetesClient client;
  private static InjectorWebhook injector;

  @BeforeAll
  static void start() throws Exception {
    kube = KubeApiServer.start();
    client = kube.client();
    injector = InjectorWebhook.start(IssuedServingCertificate.issue().rootPem());
    // The README's configuration, as written but for where the injector is: a URL on this machine.
    String configuration = readmeConfiguration()
        .replace(README_SERVICE, "url: " + injector.url())
        .replace(README_CA_BUNDLE, injector.caBundle());
    KubeApiServer.Kubectl applied = kube.kubectl(configuration, "apply", "-f", "-");
    assertThat(applied.ok()).as("kubectl apply of the README's webhook configuration: %s", applied.err()).isTrue();
    namespace("meshed", Map.of());
    namespace("plain", Map.of());
    // The README's command, for the namespace it names.
    String label = Readme.block("sh", "kubectl label namespace").lines().map(String::strip)
        .filter(l -> l.startsWith("kubectl label namespace")).findFirst().orElseThrow()
        .replaceAll("\\s+#.*", "").replace(" ml ", " meshed ");
    KubeApiServer.Kubectl labelled = kube.kubectl(null, label.substring("kubectl ".length()).split("\\s+"));
    assertThat(labelled.ok()).as("README: %s -> %s", label, labelled.err()).isTrue();
    awaitWebhookActive();
  }

  static final String README_SERVICE = "service: {name: sluice-injector, namespace: sluice-system, path: /inject, port: 9443}";
  static final String README_CA_BUNDLE = "<base64 of the PEM that signs the injector's certificate>";

  private static String readmeConfiguration() {
    return Readme.block("yaml", "kind: MutatingWebhookConfiguration");
  }

  @Test
  @DisplayName("the README's webhook configuration is the one the injector recommends")
  void readmesConfiguration_isTheRecommendedOne() throws Exception {
    var yaml = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var readme = yaml.readTree(readmeConfiguration());
    var recommended = json.readTree(io.fabric8.kubernetes.client.utils.Serialization.asJson(
        WebhookConfigurations.mutatingWebhookConfiguration("sluice-injector", new WebhookClientConfigBuilder()
            .withNewService().withName("sluice-injector").withNamespace("sluice-system").withPath("/inject")
            .withPort(9443).endService().withCaBundle(README_CA_BUNDLE).build(), "sluice-system", "Fail")));
    assertThat(readme).isEqualTo(recommended);
  }

  @AfterAll
  static void stop() {
    if (injector != null) {
      injector.close();
    }
    if (client != null) {
      client.close();
    }
    if (kube != null) {
      kube.close();
    }
  }

  @Test
  @DisplayName("a pod in a namespace labelled sluice.dev/inject=enabled is stored with the native sidecar")
  void podInEnabledNamespace_isStoredInjected() {
    Pod pod = create("meshed", "scorer", Map.of("app", "scorer"));
    List<Container> inits = pod.getSpec().getInitContainers();
    assertThat(inits).extracting(Container::getName).containsExactly(InjectionTemplate.INIT, InjectionTemplate.PROXY);
    Container proxy = inits.get(1);
    assertThat(proxy.getRestartPolicy()).isEqualTo("Always");
    assertThat(proxy.getArgs()).contains("--config-yaml", "--disable-hot-restart");
    assertThat(proxy.getStartupProbe().getHttpGet().getPath()).isEqualTo("/healthz/ready");
    assertThat(pod.getSpec().getContainers()).extracting(Container::getName).containsExactly("app");
    assertThat(pod.getSpec().getVolumes()).extracting(v -> v.getName())
        .contains(InjectionTemplate.TOKEN_VOLUME, InjectionTemplate.ENVOY_VOLUME);
    assertThat(pod.getMetadata().getAnnotations().get(Annotations.STATUS))
        .contains("\"mode\":\"native\"", "\"inboundPorts\":[8080]");
    assertThat(pod.getMetadata().getLabels()).containsEntry(Annotations.INJECTED, "true");
  }

  @Test
  @DisplayName("a pod in an unlabelled namespace is stored unchanged")
  void podInPlainNamespace_isStoredUnchanged() {
    assertUninjected(create("plain", "plain-scorer", Map.of("app", "scorer")));
  }

  @Test
  @DisplayName("a pod labelled sluice.dev/inject=false in an enabled namespace is stored unchanged")
  void optedOutPod_isStoredUnchanged() {
    assertUninjected(create("meshed", "opted-out", Map.of("app", "scorer", "sluice.dev/inject", "false")));
  }

  @Test
  @DisplayName("a pod labelled sluice.dev/inject=true in an unlabelled namespace is stored injected")
  void optedInPod_isStoredInjected() {
    Pod pod = create("plain", "opted-in", Map.of("app", "scorer", "sluice.dev/inject", "true"));
    assertThat(pod.getSpec().getInitContainers()).extracting(Container::getName).contains(InjectionTemplate.PROXY);
  }

  @Test
  @DisplayName("a pod's HTTP probe to a captured port is stored moved to the sidecar's health port")
  void httpProbeToCapturedPort_isStoredMovedToTheSidecar() {
    client.pods().inNamespace("meshed").resource(new PodBuilder()
        .withNewMetadata().withName("probed").withNamespace("meshed").endMetadata()
        .withNewSpec().withServiceAccountName("scorer")
        .addNewContainer().withName("app").withImage("registry.invalid/scorer:1")
        .addNewPort().withName("http").withContainerPort(8080).endPort()
        .withNewReadinessProbe().withNewHttpGet().withPath("/ready").withPort(new IntOrString("http")).endHttpGet()
        .withPeriodSeconds(7).endReadinessProbe()
        .withNewLivenessProbe().withNewTcpSocket().withPort(new IntOrString(8080)).endTcpSocket().endLivenessProbe()
        .endContainer().endSpec().build()).create();
    Pod pod = client.pods().inNamespace("meshed").withName("probed").get();
    Container app = pod.getSpec().getContainers().get(0);
    assertThat(app.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/app-health/app/readyz");
    assertThat(app.getReadinessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(15021);
    assertThat(app.getReadinessProbe().getPeriodSeconds()).isEqualTo(7);
    assertThat(app.getLivenessProbe().getTcpSocket().getPort().getIntVal()).as("tcpSocket untouched").isEqualTo(8080);
    assertThat(pod.getMetadata().getAnnotations().get(Annotations.STATUS))
        .contains("\"probes\":{\"app/readyz\":\"8080 /ready\"}");
  }

  private static void assertUninjected(Pod pod) {
    assertThat(pod.getSpec().getInitContainers()).isEmpty();
    assertThat(pod.getSpec().getContainers()).extracting(Container::getName).containsExactly("app");
    assertThat(pod.getMetadata().getAnnotations()).doesNotContainKey(Annotations.STATUS);
  }

  private static Pod create(String namespace, String name, Map<String, String> labels) {
    client.pods().inNamespace(namespace).resource(new PodBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels).endMetadata()
        .withNewSpec().withServiceAccountName("scorer")
        .addNewContainer().withName("app").withImage("registry.invalid/scorer:1")
        .addNewPort().withContainerPort(8080).endPort().endContainer()
        .endSpec().build()).create();
    return client.pods().inNamespace(namespace).withName(name).get(); // as stored, not as answered
  }

  private static void namespace(String name, Map<String, String> labels) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels)
        .endMetadata().build()).create();
    client.serviceAccounts().inNamespace(name).resource(new ServiceAccountBuilder().withNewMetadata()
        .withName("scorer").endMetadata().build()).create();
  }

  /** The API server picks up webhook configurations asynchronously: probe until a pod comes back injected. */
  private static void awaitWebhookActive() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    for (int i = 0; System.nanoTime() < deadline; i++) {
      Pod probe = create("meshed", "probe-" + i, Map.of("app", "probe"));
      client.resource(probe).withGracePeriod(0).delete();
      if (probe.getMetadata().getAnnotations().containsKey(Annotations.STATUS)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the API server never called the injector within 30 s");
  }
}
