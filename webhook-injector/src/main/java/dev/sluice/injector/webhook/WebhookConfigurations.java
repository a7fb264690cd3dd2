package dev.sluice.injector.webhook;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperationsBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import java.util.List;
import java.util.Locale;

/**
 * The recommended MutatingWebhookConfiguration: the selectors decide which pods reach the injector,
 * because an AdmissionReview carries no namespace labels. Two webhooks, so that a pod is sent once:
 *
 * <ol>
 *   <li>{@code namespace.inject.sluice.dev}: namespaces labelled {@code sluice.dev/inject=enabled},
 *       pods not labelled {@code sluice.dev/inject=false};
 *   <li>{@code pod.inject.sluice.dev}: pods labelled {@code sluice.dev/inject=true} in namespaces
 *       <em>not</em> labelled {@code enabled} (those are the first webhook's).
 * </ol>
 *
 * Both leave out {@code kube-system} and the control plane's namespace by name (label
 * {@code kubernetes.io/metadata.name}), so the injector never sits in the path of its own pods or the
 * cluster's system pods; the injector excludes them again in code.
 *
 * <p>{@code failurePolicy} ({@code sluice.injector.failure-policy}) is a trade-off: {@code Fail} (the
 * default) means no pod of an opted-in namespace starts unmeshed while the webhook is down, at the
 * cost of blocking pod creation there; {@code Ignore} keeps pods starting but without a sidecar,
 * silently losing mTLS and routing. CREATE only, {@code sideEffects: None}, AdmissionReview v1,
 * {@code reinvocationPolicy: IfNeeded} (a pod changed by a later webhook is shown to the injector
 * again, which finds it injected and adds nothing), 10 s timeout.
 */
public final class WebhookConfigurations {
  public static final String NAMESPACE_WEBHOOK = "namespace.inject.sluice.dev";
  public static final String POD_WEBHOOK = "pod.inject.sluice.dev";
  private static final String INJECT = "sluice.dev/inject";
  private static final String NAME = "kubernetes.io/metadata.name";

  private WebhookConfigurations() {}

  /**
   * @param name the configuration's name, e.g. {@code sluice-injector}
   * @param clientConfig how the API server reaches the injector (service or URL, and the CA bundle)
   * @param controlPlaneNamespace {@code sluice.injector.control-plane-namespace}
   * @param failurePolicy {@code Fail} or {@code Ignore}
   */
  public static MutatingWebhookConfiguration mutatingWebhookConfiguration(String name,
      WebhookClientConfig clientConfig, String controlPlaneNamespace, String failurePolicy) {
    String policy = failurePolicy(failurePolicy);
    LabelSelectorRequirement notSystem = requirement(NAME, "NotIn", "kube-system", controlPlaneNamespace);
    MutatingWebhook byNamespace = webhook(NAMESPACE_WEBHOOK, clientConfig, policy,
        selector(requirement(INJECT, "In", "enabled"), notSystem),
        selector(requirement(INJECT, "NotIn", "false")));
    MutatingWebhook byPod = webhook(POD_WEBHOOK, clientConfig, policy,
        selector(requirement(INJECT, "NotIn", "enabled"), notSystem),
        selector(requirement(INJECT, "In", "true")));
    return new MutatingWebhookConfigurationBuilder()
        .withNewMetadata().withName(name).addToLabels("app.kubernetes.io/part-of", "sluice").endMetadata()
        .withWebhooks(byNamespace, byPod)
        .build();
  }

  /** {@code Fail} or {@code Ignore}, any case; anything else is refused. */
  public static String failurePolicy(String text) {
    for (String p : List.of("Fail", "Ignore")) {
      if (p.toLowerCase(Locale.ROOT).equals(text.strip().toLowerCase(Locale.ROOT))) {
        return p;
      }
    }
    throw new IllegalArgumentException("sluice.injector.failure-policy must be Fail or Ignore, was '" + text + "'");
  }

  private static MutatingWebhook webhook(String name, WebhookClientConfig clientConfig, String policy,
      LabelSelector namespaces, LabelSelector objects) {
    return new MutatingWebhookBuilder()
        .withName(name)
        .withClientConfig(clientConfig)
        .withRules(new RuleWithOperationsBuilder().withOperations("CREATE").withApiGroups("")
            .withApiVersions("v1").withResources("pods").withScope("Namespaced").build())
        .withNamespaceSelector(namespaces)
        .withObjectSelector(objects)
        .withSideEffects("None")
        .withAdmissionReviewVersions("v1")
        .withReinvocationPolicy("IfNeeded")
        .withFailurePolicy(policy)
        .withMatchPolicy("Equivalent")
        .withTimeoutSeconds(10)
        .build();
  }

  private static LabelSelector selector(LabelSelectorRequirement... requirements) {
    return new LabelSelectorBuilder().withMatchExpressions(requirements).build();
  }

  private static LabelSelectorRequirement requirement(String key, String operator, String... values) {
    return new LabelSelectorRequirement(key, operator, List.of(values));
  }
}
