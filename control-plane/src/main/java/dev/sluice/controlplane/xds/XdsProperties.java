package dev.sluice.controlplane.xds;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The xDS server.
 *
 * @param port plaintext ADS port (state-of-the-world and delta): routing only, never a secret;
 *     0 picks a free port
 * @param address the address to bind, all interfaces by default
 * @param debounce quiet time after a change before a snapshot is published
 * @param maxDelay the longest a change waits for publication while changes keep arriving
 */
@ConfigurationProperties("sluice.xds")
public record XdsProperties(Integer port, String address, Duration debounce, Duration maxDelay) {
  public XdsProperties {
    port = port == null ? 18000 : port;
    address = address == null ? "0.0.0.0" : address;
    debounce = debounce == null ? Duration.ofMillis(100) : debounce;
    maxDelay = maxDelay == null ? Duration.ofSeconds(1) : maxDelay;
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("sluice.xds.port must be 0..65535, was " + port);
    }
    if (debounce.isNegative() || maxDelay.compareTo(debounce) < 0) {
      throw new IllegalArgumentException("sluice.xds.max-delay must be at least sluice.xds.debounce");
    }
  }
}
