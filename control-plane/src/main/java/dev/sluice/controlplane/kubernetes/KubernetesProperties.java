package dev.sluice.controlplane.kubernetes;

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
 */
@ConfigurationProperties("sluice.kubernetes")
public record KubernetesProperties(List<String> namespaces, Path kubeconfig, Duration syncTimeout) {
  public KubernetesProperties {
    namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
    syncTimeout = syncTimeout == null ? Duration.ofSeconds(60) : syncTimeout;
  }
}
