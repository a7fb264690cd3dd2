package dev.sluice.controlplane.tokens;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Bootstrap tokens: how a proxy outside Kubernetes proves its identity on the secure xDS port.
 *
 * @param defaultTtl how long a token holds when the request names no {@code ttl}
 * @param maxTtl the longest {@code ttl} a request may ask for
 * @param recheckInterval how often every open stream's token is checked again; a revoked or
 *     expired token's stream is closed within this interval (revocation also checks at once)
 */
@ConfigurationProperties("sluice.tokens")
public record TokenProperties(Duration defaultTtl, Duration maxTtl, Duration recheckInterval) {
  public TokenProperties {
    defaultTtl = defaultTtl == null ? Duration.ofDays(30) : defaultTtl;
    maxTtl = maxTtl == null ? Duration.ofDays(365) : maxTtl;
    recheckInterval = recheckInterval == null ? Duration.ofSeconds(5) : recheckInterval;
    if (defaultTtl.isNegative() || defaultTtl.isZero() || defaultTtl.compareTo(maxTtl) > 0) {
      throw new IllegalArgumentException("sluice.tokens.default-ttl must be positive and at most sluice.tokens.max-ttl ("
          + maxTtl + "), was " + defaultTtl);
    }
    if (recheckInterval.isNegative() || recheckInterval.isZero() || recheckInterval.compareTo(Duration.ofSeconds(30)) > 0) {
      throw new IllegalArgumentException("sluice.tokens.recheck-interval must be positive and at most 30s, was "
          + recheckInterval);
    }
  }
}
