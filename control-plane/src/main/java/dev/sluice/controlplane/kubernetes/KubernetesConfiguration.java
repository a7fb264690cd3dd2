package dev.sluice.controlplane.kubernetes;

import dev.sluice.controlplane.ca.CaProperties;
import dev.sluice.controlplane.ca.CertificateAuthority;
import dev.sluice.controlplane.status.RouteStatuses;
import dev.sluice.controlplane.xds.RouteProgramming;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Kubernetes mode ({@code sluice.store.type=kubernetes}): the API server is the store of ModelRoutes,
 * a Secret keeps the CA root and token key, and TokenReview checks proxies' service-account tokens.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "sluice.store.type", havingValue = "kubernetes")
@EnableConfigurationProperties(KubernetesProperties.class)
class KubernetesConfiguration {

  @Bean(destroyMethod = "close")
  KubernetesClient kubernetesClient(KubernetesProperties properties) {
    Config config;
    if (properties.kubeconfig() != null) {
      try {
        config = Config.fromKubeconfig(Files.readString(properties.kubeconfig(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read sluice.kubernetes.kubeconfig " + properties.kubeconfig(), e);
      }
    } else {
      config = Config.autoConfigure(null);
    }
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** The CA root and token signing key, shared by every replica in one Secret. */
  @Bean
  CaSecret caSecret(KubernetesClient client, KubernetesProperties properties, CaProperties ca, Clock clock) {
    return new CaSecret(new SharedSecret(client, properties.namespace(), properties.caSecret()), ca, clock);
  }

  /** Proxies may prove their identity with a projected service-account token, checked by TokenReview. */
  @Bean
  ServiceAccountTokens serviceAccountTokens(KubernetesClient client, KubernetesProperties properties, CaProperties ca) {
    return new ServiceAccountTokens(client, properties.tokenAudience(), ca.serverNamespace(),
        properties.tokenReviewInterval());
  }

  /** REST callers with Kubernetes tokens: TokenReview says who, SubjectAccessReview what they may. */
  @Bean
  KubernetesRestCallers kubernetesRestCallers(KubernetesClient client, KubernetesProperties properties, Clock clock) {
    return new KubernetesRestCallers(client, properties.tokenAudience(), clock);
  }

  @Bean(destroyMethod = "close")
  KubernetesRouteStore kubernetesRouteStore(KubernetesClient client, KubernetesProperties properties, Clock clock) {
    return KubernetesRouteStore.started(client, properties, new RevisionHistory(client, clock));
  }

  @Bean(destroyMethod = "close")
  EndpointSlices endpointSlices(KubernetesClient client, KubernetesProperties properties) {
    return EndpointSlices.started(client, properties);
  }

  /**
   * The threads of Kubernetes mode's own rounds (status, the injector's certificates) and of the
   * leader election: three, so that no round keeps the Lease from being renewed.
   */
  @Bean(destroyMethod = "shutdownNow")
  ScheduledExecutorService kubernetesScheduler() {
    return Executors.newScheduledThreadPool(3, r -> {
      Thread t = new Thread(r, "sluice-kubernetes");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * The injector's serving certificate, trust bundle and webhook caBundle, kept by the leader
   * ({@code sluice.kubernetes.injector.*}; does nothing unless {@code service} is set).
   */
  @Bean(destroyMethod = "close")
  InjectorCertificates injectorCertificates(KubernetesClient client, KubernetesProperties properties,
      CertificateAuthority ca, Clock clock, ScheduledExecutorService kubernetesScheduler) {
    InjectorCertificates certificates = new InjectorCertificates(client, properties.namespace(), properties.injector(),
        ca, clock);
    certificates.start(kubernetesScheduler);
    return certificates;
  }

  /** The Lease; a replica that becomes leader keeps the injector's certificates at once. */
  @Bean(destroyMethod = "close")
  Leadership leadership(KubernetesClient client, KubernetesProperties properties, ScheduledExecutorService kubernetesScheduler,
      InjectorCertificates injectorCertificates) {
    return Leadership.join(client, properties, kubernetesScheduler, injectorCertificates::leadershipChanged);
  }

  /** Bootstrap-token records every replica reads, so a token minted or revoked on one holds on all. */
  @Bean(destroyMethod = "close")
  TokenRecords tokenRecords(KubernetesClient client, KubernetesProperties properties, Clock clock) {
    return new TokenRecords(client, properties.namespace(), clock);
  }

  /** Rollout progress every replica reads and the leader writes. */
  @Bean(destroyMethod = "close")
  RolloutRecords rolloutRecords(KubernetesClient client, KubernetesProperties properties) {
    return new RolloutRecords(client, properties.namespace());
  }

  /** Only the Lease holder decides rollouts. */
  @Bean
  dev.sluice.controlplane.rollout.RolloutLeadership rolloutLeadership(Leadership leadership) {
    return leadership::leading;
  }

  /** The other replicas' views of their proxies, for Programmed over all of them. */
  @Bean(destroyMethod = "close")
  ReplicaViews replicaViews(KubernetesClient client, KubernetesProperties properties, Leadership leadership, Clock clock) {
    return new ReplicaViews(client, properties.namespace(), leadership.identity(), clock);
  }

  @Bean(destroyMethod = "close")
  StatusWriter statusWriter(KubernetesClient client, KubernetesRouteStore store, RouteStatuses statuses,
      ReplicaViews views, RouteProgramming programming, Leadership leadership, KubernetesProperties properties,
      ScheduledExecutorService kubernetesScheduler) {
    StatusWriter writer = new StatusWriter(client, store, statuses, store.history(), views, programming,
        leadership::leading);
    writer.start(kubernetesScheduler, properties.statusInterval());
    return writer;
  }
}
