package dev.sluice.controlplane.ca;

import dev.sluice.controlplane.store.StoreProperties;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The certificate authority: its root is loaded (or generated and stored) while the context starts,
 * so bad CA material stops start-up with a {@link CaConfigurationException} naming the property.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CaProperties.class)
class CaConfiguration {

  @Bean
  CertificateAuthority certificateAuthority(CaProperties properties, StoreProperties store, Clock clock) {
    return new CertificateAuthority(CaRoot.load(properties, store.path(), clock), properties, clock);
  }

  @Bean
  CaExpiry caExpiry(CertificateAuthority ca, Clock clock) {
    CaExpiry expiry = new CaExpiry(ca, clock);
    expiry.startDailyChecks();
    return expiry;
  }
}
