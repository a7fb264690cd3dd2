package dev.sluice.controlplane.xds;

import dev.sluice.controlplane.store.RouteStore;
import dev.sluice.translate.EnvoyTranslator;
import dev.sluice.translate.ProxyGroup;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import java.time.Clock;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the xDS server: snapshot cache, its guard, stream tracking, publisher. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(XdsProperties.class)
class XdsConfiguration {

  @Bean
  SimpleCache<ProxyGroup> snapshotCache() {
    return new SimpleCache<>(new ProxyGroups());
  }

  @Bean
  RejectedRoutes rejectedRoutes() {
    return new RejectedRoutes();
  }

  @Bean
  SnapshotPublisher snapshotPublisher(SimpleCache<ProxyGroup> cache, EnvoyTranslator translator,
      RejectedRoutes rejectedRoutes, RouteStore store, XdsProperties properties) {
    SnapshotPublisher publisher = new SnapshotPublisher(cache, translator, rejectedRoutes, () -> store.list(null),
        new Debouncer(properties.debounce(), properties.maxDelay()), System::nanoTime);
    store.onChange(publisher::requestPublish);
    return publisher;
  }

  @Bean
  StreamRegistry streamRegistry(Clock clock, SnapshotPublisher publisher) {
    return new StreamRegistry(clock, publisher::addGroup);
  }

  @Bean
  XdsReadiness xdsReadiness() {
    return new XdsReadiness();
  }

  @Bean
  XdsServer xdsServer(XdsProperties properties, SimpleCache<ProxyGroup> cache, StreamRegistry streams,
      XdsReadiness readiness, SnapshotPublisher publisher) {
    V3DiscoveryServer discovery = new V3DiscoveryServer(List.of(streams), new GuardedConfigWatcher(cache));
    return new XdsServer(properties, discovery, readiness, publisher);
  }
}
