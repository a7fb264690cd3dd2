package dev.sluice.controlplane.xds;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The xDS server.
 *
 * @param port plaintext ADS port (state-of-the-world and delta): routing only, never a secret;
 *     0 picks a free port
 * @param securePort TLS ADS and SDS port: proxies prove their identity, and get routing and their
 *     own identity's secrets; 0 picks a free port
 * @param address the address to bind, all interfaces by default
 * @param advertisedHost the host name or address bootstrapped proxies dial for the secure port;
 *     when unset, the host name the bootstrap request was sent to
 * @param debounce quiet time after a change before a snapshot is published
 * @param maxDelay the longest a change waits for publication while changes keep arriving
 * @param stepTimeout make before break: the longest a step (clusters first, then routes, then
 *     removals) waits for every proxy of a group to ack it before the next is taken anyway
 * @param slowPublication a publication (translating the routes and setting the snapshots of the
 *     groups) that takes longer than this is logged as a WARN naming it, with its wall and CPU time
 */
@ConfigurationProperties("sluice.xds")
public record XdsProperties(Integer port, Integer securePort, String address, String advertisedHost, Duration debounce,
    Duration maxDelay, Duration stepTimeout, Duration slowPublication) {
  public XdsProperties {
    port = port == null ? 18000 : port;
    securePort = securePort == null ? 18001 : securePort;
    address = address == null ? "0.0.0.0" : address;
    advertisedHost = advertisedHost == null || advertisedHost.isBlank() ? null : advertisedHost;
    debounce = debounce == null ? Duration.ofMillis(100) : debounce;
    maxDelay = maxDelay == null ? Duration.ofSeconds(1) : maxDelay;
    stepTimeout = stepTimeout == null ? Duration.ofSeconds(5) : stepTimeout;
    slowPublication = slowPublication == null ? Duration.ofSeconds(1) : slowPublication;
    if (slowPublication.isNegative() || slowPublication.isZero()) {
      throw new IllegalArgumentException("sluice.xds.slow-publication must be positive, was " + slowPublication);
    }
    if (stepTimeout.isNegative() || stepTimeout.isZero()) {
      throw new IllegalArgumentException("sluice.xds.step-timeout must be positive, was " + stepTimeout);
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("sluice.xds.port must be 0..65535, was " + port);
    }
    if (securePort < 0 || securePort > 65535) {
      throw new IllegalArgumentException("sluice.xds.secure-port must be 0..65535, was " + securePort);
    }
    if (port != 0 && port.equals(securePort)) {
      throw new IllegalArgumentException("sluice.xds.secure-port must differ from sluice.xds.port (" + port + ")");
    }
    if (debounce.isNegative() || maxDelay.compareTo(debounce) < 0) {
      throw new IllegalArgumentException("sluice.xds.max-delay must be at least sluice.xds.debounce");
    }
  }
}
