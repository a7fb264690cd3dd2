package dev.sluice.controlplane.rollout;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How often rollouts are looked at.
 *
 * @param tick how often every rollout's checks run and steps are decided (at most 1s: checks and a
 *     proxy's rejection act within a tick)
 * @param sampleInterval how often per-version numbers are kept for the charts
 */
@ConfigurationProperties("sluice.rollout")
public record RolloutProperties(@DefaultValue("1s") Duration tick, @DefaultValue("2s") Duration sampleInterval) {
  public RolloutProperties {
    if (tick.isNegative() || tick.isZero() || tick.compareTo(Duration.ofSeconds(1)) > 0) {
      throw new IllegalArgumentException("sluice.rollout.tick must be more than 0 and at most 1s, was " + tick);
    }
    if (sampleInterval.isNegative() || sampleInterval.isZero()) {
      throw new IllegalArgumentException("sluice.rollout.sample-interval must be more than 0, was " + sampleInterval);
    }
  }
}
