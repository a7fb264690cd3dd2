package dev.sluice.controlplane.xds;

import dev.sluice.controlplane.ca.CertificateAuthority;
import dev.sluice.controlplane.identity.ProxyAuthenticator;
import dev.sluice.controlplane.identity.ProxyAuthenticators;
import dev.sluice.controlplane.measure.MeasurementServices;
import dev.sluice.controlplane.metrics.SluiceMetrics;
import dev.sluice.controlplane.rollout.RolloutOverlay;
import dev.sluice.controlplane.rollout.RolloutStates;
import dev.sluice.controlplane.security.ApiCallers;
import dev.sluice.controlplane.store.RouteStore;
import dev.sluice.controlplane.tokens.TokenProperties;
import dev.sluice.translate.EnvoyTranslator;
import dev.sluice.translate.ProxyGroup;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.server.DefaultExecutorGroup;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the xDS server: snapshot cache, its guard, stream tracking, publisher. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(XdsProperties.class)
class XdsConfiguration {
  /** Threads for the TLS port's admissions ({@link #xdsAdmissions}). */
  static final int ADMISSION_THREADS = 8;

  @Bean
  SimpleCache<ProxyGroup> snapshotCache() {
    return new ParkingSnapshotCache<>(new ProxyGroups());
  }

  @Bean
  RejectedRoutes rejectedRoutes() {
    return new RejectedRoutes();
  }

  @Bean
  PublishedEpochs publishedEpochs() {
    return new PublishedEpochs();
  }

  @Bean
  XdsMetrics xdsMetrics(MeterRegistry registry) {
    return new XdsMetrics(registry, System::nanoTime);
  }

  /** The publisher's one thread; shut down when the context closes, after the publisher. */
  @Bean(destroyMethod = "shutdownNow")
  ScheduledExecutorService publisherScheduler() {
    return Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sluice-publisher");
      t.setDaemon(true);
      return t;
    });
  }

  @Bean
  SnapshotPublisher snapshotPublisher(SimpleCache<ProxyGroup> cache, EnvoyTranslator translator,
      RejectedRoutes rejectedRoutes, RouteStore store, XdsProperties properties, PublishedEpochs epochs, XdsMetrics metrics,
      SluiceMetrics sluiceMetrics, ObjectProvider<EndpointDiscovery> discovery, RolloutStates rollouts,
      ScheduledExecutorService publisherScheduler) {
    LongSupplier ticker = System::nanoTime;
    // Proxies see a route in rollout with the rollout's weights, not its own.
    SnapshotPublisher publisher = new SnapshotPublisher(cache, translator, rejectedRoutes,
        () -> RolloutOverlay.apply(store.list(null), rollouts.all()),
        new Debouncer(properties.debounce(), properties.maxDelay()), epochs, metrics, properties.stepTimeout(),
        sluiceMetrics.translation(SluiceMetrics.PHASE_PUBLISH), publisherScheduler, ticker,
        new PublicationCost(ticker, PublicationCost::currentThreadCpu, ProcessWork::now, properties.slowPublication(),
            metrics));
    store.onChange(publisher::requestPublish);
    rollouts.onWeightsChange(publisher::requestPublish);
    discovery.ifAvailable(d -> d.onChange(publisher::requestPublish));
    return publisher;
  }

  @Bean
  RouteProgramming routeProgramming(StreamRegistry streams, PublishedEpochs epochs) {
    return new RouteProgramming(streams, epochs);
  }

  @Bean
  WorkloadSecrets workloadSecrets(CertificateAuthority ca, Clock clock) {
    return new WorkloadSecrets(ca, clock, new SecureRandom());
  }

  @Bean
  StreamRegistry streamRegistry(Clock clock, SnapshotPublisher publisher, WorkloadSecrets secrets, XdsMetrics metrics) {
    StreamRegistry streams = new StreamRegistry(clock, publisher::addGroup, secrets, metrics);
    streams.onAck(publisher::acked);
    publisher.watchAcks(streams::allAcked);
    metrics.gaugeConnected(streams);
    return streams;
  }

  /** The control plane's own certificate, for the secure xDS port and the REST API's mutual-TLS port. */
  @Bean
  ServingCertificate servingCertificate(CertificateAuthority ca, Clock clock) {
    return new ServingCertificate(ca, clock);
  }

  /** That certificate as a key manager, renewed in place: what the REST API's mutual-TLS port serves. */
  @Bean
  javax.net.ssl.X509KeyManager servingKeyManager(ServingCertificate serving) {
    return serving.keyManager();
  }

  @Bean
  SecureXds secureXds(List<ProxyAuthenticator> authenticators, ServingCertificate serving, WorkloadSecrets secrets,
      TokenProperties tokens, Clock clock) {
    AuthenticatedStreams streams = new AuthenticatedStreams(new ProxyAuthenticators(authenticators), clock, secrets::renewSoon);
    SecureXds secure = new SecureXds(streams, serving, secrets, tokens.recheckInterval());
    authenticators.forEach(a -> a.onRevoke(secure::recheckSoon));
    return secure;
  }

  @Bean
  XdsReadiness xdsReadiness() {
    return new XdsReadiness();
  }

  @Bean
  XdsServer xdsServer(XdsProperties properties, SimpleCache<ProxyGroup> cache, StreamRegistry streams,
      XdsReadiness readiness, SnapshotPublisher publisher, SecureXds secure, ApiCallers callers,
      MeasurementServices measurements, ExecutorService xdsAdmissions) {
    // Each resource is packed into an Any once per publication, not once per proxy it is sent to.
    GuardedDiscoveryServer discovery = new GuardedDiscoveryServer(streams, new GuardedConfigWatcher(cache, secure.secrets()),
        new DefaultExecutorGroup(), new PackedResources());
    return new XdsServer(properties, discovery, readiness, publisher, secure, new ClientStatusService(streams, cache),
        new CsdsAuthorization(callers), measurements, streams, xdsAdmissions);
  }

  /**
   * The TLS port's admissions, which may wait on the store or the Kubernetes API server
   * ({@link OffThreadAdmission}); bounded, so a reconnect storm sends at most this many TokenReviews at once.
   */
  @Bean(destroyMethod = "shutdownNow")
  ExecutorService xdsAdmissions() {
    AtomicInteger count = new AtomicInteger();
    return Executors.newFixedThreadPool(ADMISSION_THREADS, r -> {
      Thread t = new Thread(r, "sluice-xds-admission-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }
}
