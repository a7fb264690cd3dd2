package dev.sluice.controlplane.xds;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** A read-only view of the proxies connected now, for the API and for operators. */
@Component
public final class ConnectedProxies {
  private final StreamRegistry streams;

  ConnectedProxies(StreamRegistry streams) {
    this.streams = streams;
  }

  /** A rejected version: when, which, and Envoy's or gRPC's own words. */
  public record Nack(Instant at, String version, String errorDetail) {}

  /** One xDS type on one stream. */
  public record TypeStatus(String ackedVersion, String sentVersion, long responses, Nack lastNack) {}

  /**
   * One stream of one proxy; {@code types} is keyed by type URL. {@code identity} is the proven
   * {@code namespace/serviceAccount} on the secure port, null on the plaintext port.
   */
  public record Proxy(String nodeId, String group, String identity, long streamId, Instant connectedSince,
      long requests, long nacks, Map<String, TypeStatus> types) {}

  public List<Proxy> list() {
    return streams.streams().stream()
        .filter(s -> s.node() != null)
        .map(s -> new Proxy(s.nodeId(), s.group().key(), s.proven() == null ? null : s.proven().identity(), s.id(), s.openedAt(), s.requests(), s.nacks(), s.types()))
        .sorted(Comparator.comparing(Proxy::nodeId).thenComparing(Proxy::streamId))
        .toList();
  }
}
