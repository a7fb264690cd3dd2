package dev.sluice.controlplane;

import dev.sluice.controlplane.ca.CaProperties;
import dev.sluice.controlplane.tracing.TracingProperties;
import dev.sluice.controlplane.xds.EndpointDiscovery;
import dev.sluice.translate.EnvoyTranslator;
import dev.sluice.translate.TranslatorSettings;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.context.annotation.Bean;

/** Sluice: an xDS control plane for ML model traffic. */
// No user store: the REST API authenticates API tokens itself (dev.sluice.controlplane.security).
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
public class SluiceApplication {

  public static void main(String[] args) {
    SpringApplication.run(SluiceApplication.class, args);
  }

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  /**
   * Translation for both write-time checks and snapshots, so both refuse the same output; upstream
   * mTLS names servers in the CA's trust domain; Envoy proxies trace as {@code sluice.tracing} says;
   * versions from Kubernetes get their servers from the EndpointSlices (Kubernetes mode only).
   * Memoizing: a publication compiles only the routes that changed, and not the one a write just
   * compiled to check it.
   */
  @Bean
  EnvoyTranslator envoyTranslator(CaProperties ca, TracingProperties tracing, ObjectProvider<EndpointDiscovery> discovery) {
    return EnvoyTranslator.of(new TranslatorSettings(ca.trustDomain(), tracing.settings().orElse(null)))
        .withEndpoints(discovery.getIfAvailable(() -> EndpointDiscovery.NONE)).memoizing();
  }
}
