package dev.sluice.controlplane.rollout;

import dev.sluice.controlplane.store.RouteStore;
import dev.sluice.controlplane.xds.RouteProgramming;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires automated rollouts: their stored progress, the decisions, and the tick that runs them. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RolloutProperties.class)
class RolloutConfiguration {

  @Bean
  @ConditionalOnProperty(name = "sluice.store.type", havingValue = "sqlite", matchIfMissing = true)
  @DependsOnDatabaseInitialization // reads the stored rollouts at once
  RolloutStates sqliteRolloutStates(DataSource dataSource) {
    return new SqliteRolloutStates(dataSource);
  }

  @Bean
  DataPlaneReadings dataPlaneReadings(dev.sluice.controlplane.measure.VersionMeasurements measurements) {
    return new MeasuredReadings(measurements);
  }

  @Bean
  Rollouts rollouts(RouteStore store, RolloutStates states, RouteProgramming programming, DataPlaneReadings readings,
      dev.sluice.controlplane.measure.VersionMeasurements measurements,
      Clock clock, RolloutProperties properties, ObjectProvider<RolloutLeadership> leadership,
      io.micrometer.core.instrument.MeterRegistry registry) {
    RolloutLeadership leader = leadership.getIfAvailable(() -> RolloutLeadership.ALONE);
    return new Rollouts(store, states, programming, readings, clock, properties.sampleInterval(), leader::leading,
        new RolloutWebhooks(), registry, measurements::acceptOnly);
  }

  @Bean(destroyMethod = "shutdownNow")
  ScheduledExecutorService rolloutScheduler() {
    return Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sluice-rollouts");
      t.setDaemon(true);
      return t;
    });
  }

  @Bean
  RolloutTicker rolloutTicker(Rollouts rollouts, ScheduledExecutorService rolloutScheduler, RolloutProperties properties) {
    return new RolloutTicker(rollouts, rolloutScheduler, properties.tick());
  }
}
