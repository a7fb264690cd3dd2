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
 * @param injector the sidecar injector's serving certificate, trust bundle and webhook {@code caBundle},
 *     kept current by the leader; off unless {@code injector.service} is set
 */
@ConfigurationProperties("sluice.kubernetes")
public record KubernetesProperties(
    List<String> namespaces, Path kubeconfig, Duration syncTimeout, String namespace, String caSecret,
    String tokenAudience, String podName, LeaderElection leaderElection, Duration statusInterval,
    Duration tokenReviewInterval, Injector injector) {

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
    injector = injector == null ? new Injector(null, null, null, null, null) : injector;
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

  /**
   * The sidecar injector's certificates without cert-manager: the leader issues the webhook's
   * serving certificate from Sluice's CA into {@code tlsSecret}, writes the trust bundle to
   * {@code trustBundleConfigMap} and patches the {@code caBundle} of every webhook of
   * {@code webhookConfiguration}, and repairs all three every {@code checkInterval}. With
   * cert-manager, set {@code tlsSecret} and {@code webhookConfiguration} to empty strings: only the
   * trust bundle is written then.
   *
   * @param service the injector's Service in {@code sluice.kubernetes.namespace}; its DNS names go in
   *     the certificate. Blank or absent turns this whole feature off (the default)
   * @param tlsSecret the {@code kubernetes.io/tls} Secret (keys {@code tls.crt}, {@code tls.key})
   *     the control plane creates and renews; {@code sluice-injector-tls} when absent, not managed when empty
   * @param webhookConfiguration the MutatingWebhookConfiguration whose webhooks' {@code caBundle} is
   *     kept equal to the trust bundle; {@code sluice-injector} when absent, not patched when empty
   * @param trustBundleConfigMap the ConfigMap in the namespace whose key {@code ca.crt} holds the trust
   *     bundle (PEM), mounted by the injector; {@code sluice-trust-bundle} when absent
   * @param checkInterval how often the leader checks and repairs the three; 1 minute when absent
   */
  public record Injector(String service, String tlsSecret, String webhookConfiguration, String trustBundleConfigMap,
      Duration checkInterval) {
    public Injector {
      service = service == null ? "" : service.strip();
      tlsSecret = tlsSecret == null ? "sluice-injector-tls" : tlsSecret.strip();
      webhookConfiguration = webhookConfiguration == null ? "sluice-injector" : webhookConfiguration.strip();
      trustBundleConfigMap = trustBundleConfigMap == null ? "sluice-trust-bundle" : trustBundleConfigMap.strip();
      checkInterval = checkInterval == null ? Duration.ofMinutes(1) : checkInterval;
      if (!service.isEmpty()) {
        // A Service name is a DNS-1035 label: a DNS-1123 label that starts with a letter.
        if (!NameRules.isDns1123Label(service) || !Character.isLetter(service.charAt(0))) {
          throw new IllegalArgumentException("sluice.kubernetes.injector.service must be a Service name (a DNS-1123 "
              + "label starting with a letter), was '" + service + "'");
        }
        subdomainOrEmpty("sluice.kubernetes.injector.tls-secret", tlsSecret);
        subdomainOrEmpty("sluice.kubernetes.injector.webhook-configuration", webhookConfiguration);
        if (!NameRules.isDns1123Subdomain(trustBundleConfigMap)) {
          throw new IllegalArgumentException("sluice.kubernetes.injector.trust-bundle-config-map must be a DNS-1123 "
              + "subdomain, was '" + trustBundleConfigMap + "'");
        }
        if (checkInterval.isNegative() || checkInterval.isZero()) {
          throw new IllegalArgumentException("sluice.kubernetes.injector.check-interval must be positive, was "
              + checkInterval);
        }
      }
    }

    /** Whether the control plane keeps the injector's certificates at all. */
    public boolean enabled() {
      return !service.isEmpty();
    }

    /** Whether it issues the serving certificate into {@link #tlsSecret()} (not with cert-manager). */
    public boolean managesSecret() {
      return enabled() && !tlsSecret.isEmpty();
    }

    /** Whether it patches the caBundle of {@link #webhookConfiguration()} (not with cert-manager's cainjector). */
    public boolean patchesWebhook() {
      return enabled() && !webhookConfiguration.isEmpty();
    }

    private static void subdomainOrEmpty(String property, String value) {
      if (!value.isEmpty() && !NameRules.isDns1123Subdomain(value)) {
        throw new IllegalArgumentException(property + " must be a DNS-1123 subdomain or empty (not managed), was '"
            + value + "'");
      }
    }
  }
}
