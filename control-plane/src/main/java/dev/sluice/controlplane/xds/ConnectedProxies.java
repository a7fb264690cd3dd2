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

  /**
   * One xDS type on one stream: the version acked, the version sent last, the nonce of that
   * response while it is not acked yet, how many responses, and the last NACK.
   */
  public record TypeStatus(String ackedVersion, String sentVersion, String pendingNonce, long responses, Nack lastNack) {}

  /**
   * One stream of one proxy; {@code types} is keyed by type URL. {@code identity} is the proven
   * {@code namespace/serviceAccount} on the secure port, null on the plaintext port.
   */
  public record Proxy(String nodeId, String role, String group, String identity, String peerAddress, long streamId,
      Instant connectedSince, long requests, long nacks, Map<String, TypeStatus> types) {}

  public List<Proxy> list() {
    return streams.streams().stream()
        .filter(s -> s.node() != null)
        .map(s -> new Proxy(s.nodeId(), s.group().role().wireName(), s.group().key(),
            s.proven() == null ? null : s.proven().identity(), s.peerAddress(), s.id(), s.openedAt(), s.requests(), s.nacks(), s.types()))
        .sorted(Comparator.comparing(Proxy::nodeId).thenComparing(Proxy::streamId))
        .toList();
  }
}
