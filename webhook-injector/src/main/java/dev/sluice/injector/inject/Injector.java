package dev.sluice.injector.inject;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Decides, for one AdmissionReview, whether to inject and answers with the patch. In this order:
 * <ol>
 *   <li>never: namespace {@code kube-system} or the control plane's, {@code hostNetwork} pods, pods
 *       already injected ({@code sluice.dev/status} present or a container named {@code sluice-proxy});
 *   <li>never: pod label {@code sluice.dev/inject=false};
 *   <li>otherwise inject. Whether the namespace opted in ({@code sluice.dev/inject=enabled}) or the
 *       pod did ({@code sluice.dev/inject=true}) is decided by the MutatingWebhookConfiguration's
 *       selectors ({@code WebhookConfigurations}): an AdmissionReview carries no namespace labels.
 * </ol>
 * Excluded pods are allowed with no patch; the patch itself is {@link InjectionPatch}'s. A pod whose
 * annotations do not parse is denied whole, never half patched. Pure and thread-safe.
 */
public final class Injector {
  private final InjectorSettings settings;

  public Injector(InjectorSettings settings) {
    this.settings = Objects.requireNonNull(settings);
  }

  public InjectorSettings settings() {
    return settings;
  }

  /** What was decided for one review. */
  public enum Decision { INJECTED, SKIPPED, DENIED, MALFORMED }

  /**
   * The answer to one review and what to log about it.
   *
   * @param response the AdmissionReview to send back
   * @param subject {@code namespace/name} of the pod, or {@code -} when the review was unreadable
   */
  public record Outcome(ObjectNode response, String subject, Decision decision, String reason) {}

  /**
   * Answers one AdmissionReview body.
   *
   * @param trustBundle Sluice's root certificates (PEM), asked only when a pod is injected; it may
   *     throw {@link UncheckedIOException}, which denies the pod with the reason
   */
  public Outcome review(byte[] body, Supplier<String> trustBundle) {
    AdmissionReviews.Request request = AdmissionReviews.parse(body);
    if (request.error() != null) {
      return new Outcome(AdmissionReviews.denied(request.uid(), 400, request.error()), "-", Decision.MALFORMED,
          request.error());
    }
    PodView pod = request.pod();
    String uid = request.uid();
    String skip = skipReason(request.operation(), pod);
    if (skip != null) {
      return new Outcome(AdmissionReviews.allowed(uid), pod.displayName(), Decision.SKIPPED, skip);
    }
    PodOptions.Parsed parsed = PodOptions.of(pod, settings);
    if (parsed.error() != null) {
      return deny(uid, pod, 400, parsed.error());
    }
    String conflict = conflict(pod);
    if (conflict != null) {
      return deny(uid, pod, 400, conflict);
    }
    String pem;
    try {
      pem = trustBundle.get();
    } catch (UncheckedIOException e) {
      return deny(uid, pod, 500, "the injector cannot read Sluice's trust bundle: " + e.getCause().getMessage());
    }
    PodOptions options = parsed.options();
    JsonPatch patch = InjectionPatch.of(pod, options, settings, pem);
    return new Outcome(AdmissionReviews.patched(uid, patch.operations()), pod.displayName(), Decision.INJECTED,
        settings.sidecarMode().label() + " sidecar, capture " + options.capture().label()
            + ", inbound ports " + options.inboundPorts());
  }

  private String skipReason(String operation, PodView pod) {
    if (!operation.equals("CREATE")) {
      return "operation " + operation + " is never injected";
    }
    if (pod.namespace().equals("kube-system") || pod.namespace().equals(settings.controlPlaneNamespace())) {
      return "namespace " + pod.namespace() + " is never injected";
    }
    if (pod.hostNetwork()) {
      return "hostNetwork pod";
    }
    if (pod.annotation(Annotations.STATUS).isPresent()) {
      return "already injected (" + Annotations.STATUS + " present)";
    }
    if (pod.containerNames("containers").contains(InjectionTemplate.PROXY)
        || pod.containerNames("initContainers").contains(InjectionTemplate.PROXY)) {
      return "already injected (container " + InjectionTemplate.PROXY + " present)";
    }
    if (pod.label(Annotations.INJECT).filter("false"::equals).isPresent()) {
      return "opted out (label " + Annotations.INJECT + "=false)";
    }
    return null;
  }

  /** A name the injection would add that the pod already uses: the API server would refuse the result. */
  private static String conflict(PodView pod) {
    List<String> volumes = new ArrayList<>();
    pod.spec().path("volumes").forEach(v -> volumes.add(v.path("name").asText("")));
    for (String name : List.of(InjectionTemplate.TOKEN_VOLUME, InjectionTemplate.ENVOY_VOLUME)) {
      if (volumes.contains(name)) {
        return "the pod already has a volume named " + name + ", which the injector adds";
      }
    }
    if (pod.containerNames("initContainers").contains(InjectionTemplate.INIT)
        || pod.containerNames("containers").contains(InjectionTemplate.INIT)) {
      return "the pod already has a container named " + InjectionTemplate.INIT + ", which the injector adds";
    }
    return null;
  }

  private static Outcome deny(String uid, PodView pod, int code, String message) {
    return new Outcome(AdmissionReviews.denied(uid, code, message), pod.displayName(), Decision.DENIED, message);
  }
}
