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
 * @param namespace the control plane's own namespace: its Lease and the Secret {@code caSecret} live there
 * @param caSecret the Secret that holds the generated CA root and the bootstrap-token signing key,
 *     shared by every replica; made by the first one to start
 * @param tokenAudience the audience a proxy's projected service-account token must be issued for;
 *     TokenReview checks it
 * @param podName this replica's name, part of its identity in the Lease; {@code HOSTNAME} when absent
 * @param leaderElection the Lease that picks the one replica writing status
 * @param statusInterval how often the leader compares each route's status with the one the API
 *     server holds, and writes those that differ (at most {@link #STATUS_WRITES_PER_ROUND} a round)
 * @param tokenReviewInterval how often the token of an open stream is sent to TokenReview again, so
 *     that a stream whose pod was deleted (its bound token no longer holds) is closed
 */
@ConfigurationProperties("sluice.kubernetes")
public record KubernetesProperties(
    List<String> namespaces, Path kubeconfig, Duration syncTimeout, String namespace, String caSecret,
    String tokenAudience, String podName, LeaderElection leaderElection, Duration statusInterval,
    Duration tokenReviewInterval) {

  public static final int STATUS_WRITES_PER_ROUND = 50;

  public KubernetesProperties {
    namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
    syncTimeout = syncTimeout == null ? Duration.ofSeconds(60) : syncTimeout;
    namespace = namespace == null ? "sluice-system" : namespace;
    caSecret = caSecret == null ? "sluice-ca" : caSecret;
    tokenAudience = tokenAudience == null ? "sluice" : tokenAudience;
    podName = podName != null ? podName : System.getenv().getOrDefault("HOSTNAME", "sluice");
    leaderElection = leaderElection == null ? new LeaderElection(null, null, null, null, null) : leaderElection;
    statusInterval = statusInterval == null ? Duration.ofSeconds(1) : statusInterval;
    tokenReviewInterval = tokenReviewInterval == null ? Duration.ofMinutes(1) : tokenReviewInterval;
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

  /**
   * As Kubernetes' own controllers do it: a leader that cannot renew within {@code renewDeadline}
   * stops leading; the others take over once {@code leaseDuration} has passed since its last renewal.
   * A replica shut down in order releases the Lease at once unless {@code releaseOnShutdown} is false
   * (then it leaves as a killed one does, which tests use).
   */
  public record LeaderElection(String leaseName, Duration leaseDuration, Duration renewDeadline, Duration retryPeriod,
      Boolean releaseOnShutdown) {
    public LeaderElection {
      releaseOnShutdown = releaseOnShutdown == null || releaseOnShutdown;
      leaseName = leaseName == null ? "sluice-leader" : leaseName;
      leaseDuration = leaseDuration == null ? Duration.ofSeconds(15) : leaseDuration;
      renewDeadline = renewDeadline == null ? Duration.ofSeconds(10) : renewDeadline;
      retryPeriod = retryPeriod == null ? Duration.ofSeconds(2) : retryPeriod;
    }
  }
}
