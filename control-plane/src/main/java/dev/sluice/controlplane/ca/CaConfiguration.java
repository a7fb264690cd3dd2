package dev.sluice.controlplane.ca;

import dev.sluice.controlplane.store.StoreProperties;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The certificate authority: its root is loaded (or generated and stored) while the context starts,
 * so bad CA material stops start-up with a {@link CaConfigurationException} naming the property.
 * The generated root lives in the store folder, or with a {@link RootKeeper} when one is a bean
 * (Kubernetes mode: a Secret every replica shares).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CaProperties.class)
class CaConfiguration {

  @Bean
  CertificateAuthority certificateAuthority(CaProperties properties, StoreProperties store,
      ObjectProvider<RootKeeper> keeper, Clock clock) {
    RootKeeper elsewhere = keeper.getIfAvailable();
    CaRoot root = elsewhere == null
        ? CaRoot.load(properties, store.path(), clock)
        : CaRoot.load(properties, elsewhere, clock);
    return new CertificateAuthority(root, properties, clock);
  }

  @Bean
  CaExpiry caExpiry(CertificateAuthority ca, Clock clock) {
    CaExpiry expiry = new CaExpiry(ca, clock);
    expiry.startDailyChecks();
    return expiry;
  }
}
