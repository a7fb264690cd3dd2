package dev.sluice.controlplane.kubernetes;

import dev.sluice.model.NameRules;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Kubernetes mode ({@code sluice.store.type=kubernetes}).
 *
 * @param namespaces the namespaces whose ModelRoutes are served; every namespace when empty
 * @param kubeconfig the kubeconfig file to use; when absent the client looks where kubectl does
 *     ({@code KUBECONFIG}, {@code ~/.kube/config}) and then at the pod's service account
 * @param syncTimeout how long start-up waits for the first full list of ModelRoutes; the control
 *     plane does not start (and so never serves an empty configuration) without it
 * @param namespace the control plane's own namespace, where the Secret {@code caSecret} is kept
 * @param caSecret the Secret that holds the generated CA root and the bootstrap-token signing key,
 *     shared by every replica; made by the first one to start
 * @param tokenAudience the audience a proxy's projected service-account token must be issued for;
 *     TokenReview checks it
 */
@ConfigurationProperties("sluice.kubernetes")
public record KubernetesProperties(List<String> namespaces, Path kubeconfig, Duration syncTimeout, String namespace,
    String caSecret, String tokenAudience) {
  public KubernetesProperties {
    namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
    syncTimeout = syncTimeout == null ? Duration.ofSeconds(60) : syncTimeout;
    namespace = namespace == null ? "sluice-system" : namespace;
    caSecret = caSecret == null ? "sluice-ca" : caSecret;
    tokenAudience = tokenAudience == null ? "sluice" : tokenAudience;
    if (!NameRules.isDns1123Label(namespace)) {
      throw new IllegalArgumentException("sluice.kubernetes.namespace must be a DNS-1123 label, was '" + namespace + "'");
    }
    if (!NameRules.isDns1123Subdomain(caSecret)) {
      throw new IllegalArgumentException("sluice.kubernetes.ca-secret must be a DNS-1123 subdomain, was '" + caSecret + "'");
    }
    if (tokenAudience.isBlank()) {
      throw new IllegalArgumentException("sluice.kubernetes.token-audience must not be blank");
    }
  }
}
