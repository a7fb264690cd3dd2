package dev.sluice.controlplane.measure;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Binds and checks {@code sluice.measure.*}; the measurements and the services that feed them. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MeasureProperties.class)
class MeasureConfiguration {

  @Bean
  VersionMeasurements versionMeasurements(Clock clock, MeasureProperties properties, MeterRegistry registry) {
    return new VersionMeasurements(clock, properties, registry);
  }

  @Bean
  MeasurementServices measurementServices(VersionMeasurements measurements, MeasureProperties properties, Clock clock) {
    return new MeasurementServices(measurements, properties, clock);
  }
}
