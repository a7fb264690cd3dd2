package dev.sluice.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.injector.inject.InjectionTemplate;
import dev.sluice.injector.inject.Injector;
import dev.sluice.injector.inject.InjectorSettings;
import io.fabric8.zjsonpatch.JsonPatch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A pod as the webhook injector leaves it: the AdmissionReview of a CREATE goes through
 * {@link Injector#review}, and its JSON patch is applied to the pod, as the API server does. What
 * Kubernetes would then run is read off the result: the proxy's arguments and the init
 * container's script.
 */
final class InjectedPod {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final JsonNode pod;

  private InjectedPod(JsonNode pod) {
    this.pod = pod;
  }

  /** Injects {@code pod} (a Pod object) in {@code namespace} with these settings and roots. */
  static InjectedPod inject(InjectorSettings settings, String namespace, String podJson, String trustBundlePem)
      throws Exception {
    JsonNode object = JSON.readTree(podJson);
    ObjectNode review = JSON.createObjectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
    ObjectNode request = review.putObject("request").put("uid", "e2e-1").put("namespace", namespace)
        .put("operation", "CREATE");
    request.putObject("kind").put("group", "").put("version", "v1").put("kind", "Pod");
    request.putObject("resource").put("group", "").put("version", "v1").put("resource", "pods");
    request.set("object", object);
    Injector.Outcome outcome = new Injector(settings).review(JSON.writeValueAsBytes(review), () -> trustBundlePem);
    JsonNode response = JSON.readTree(JSON.writeValueAsString(outcome.response())).get("response");
    if (!response.path("allowed").asBoolean() || !response.has("patch")) {
      throw new IllegalStateException("the injector did not patch the pod: " + outcome.decision() + " " + outcome.reason());
    }
    JsonNode patch = JSON.readTree(Base64.getDecoder().decode(response.get("patch").asText()));
    return new InjectedPod(JsonPatch.apply(patch, object));
  }

  /** A pod the API server stored after its webhooks ran (fabric8's JSON of it). */
  static InjectedPod stored(String podJson) throws Exception {
    return new InjectedPod(JSON.readTree(podJson));
  }

  /** The pod after the patch. */
  JsonNode pod() {
    return pod;
  }

  /** The proxy's arguments with {@code $(POD_NAME)} expanded, as the kubelet expands it. */
  List<String> proxyArgs(String podName) {
    List<String> args = new ArrayList<>();
    container(InjectionTemplate.PROXY).get("args").forEach(a -> args.add(a.asText().replace("$(POD_NAME)", podName)));
    return args;
  }

  /** The command of the init container that installs the capture rules. */
  List<String> initCommand() {
    List<String> command = new ArrayList<>();
    container(InjectionTemplate.INIT).get("command").forEach(a -> command.add(a.asText()));
    return command;
  }

  private JsonNode container(String name) {
    for (JsonNode c : pod.path("spec").path("initContainers")) {
      if (c.path("name").asText().equals(name)) {
        return c;
      }
    }
    throw new IllegalStateException("no init container " + name + " in " + new String(pod.toString().getBytes(), StandardCharsets.UTF_8));
  }
}
