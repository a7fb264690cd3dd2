package dev.sluice.controlplane.audit;

import dev.sluice.controlplane.metrics.SluiceMetrics;
import dev.sluice.controlplane.store.RouteStore;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The audit log: the filter that writes one line per write request, and its optional own file. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AuditProperties.class)
class AuditConfiguration {

  @Bean
  FilterRegistrationBean<AuditFilter> auditFilter(RouteStore store, SluiceMetrics metrics, Clock clock) {
    FilterRegistrationBean<AuditFilter> registration = new FilterRegistrationBean<>(new AuditFilter(store, metrics, clock));
    registration.addUrlPatterns("/api/*");
    // Outside Spring Security's filters, so that requests they refuse (401, 403, 429) are audited too.
    registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER - 1);
    return registration;
  }

  /** Only with {@code sluice.audit.file}; closed (the logger restored) with the context. */
  @Bean
  @ConditionalOnProperty(prefix = "sluice.audit", name = "file")
  AuditFile auditFile(AuditProperties properties) {
    return AuditFile.open(properties.file());
  }
}
