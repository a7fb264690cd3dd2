package dev.sluice.controlplane.xds;

import dev.sluice.controlplane.identity.ProvenProxy;
import dev.sluice.translate.ProxyGroup;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the server knows of one xDS stream. The node is pinned by the first request: Envoy's delta
 * stream and grpc-js send it only then, and a stream may not change who it is.
 *
 * <p>Thread-safe: written by the stream's request thread and the publisher's response thread.
 */
final class StreamState {
  /**
   * The latest response of one type on this stream (the server ignores requests for older nonces),
   * and how many of that type it has been sent.
   */
  record Sent(String nonce, String version, long count) {}

  private final long id;
  private final Instant openedAt;
  private final ProvenProxy proven;
  private final String peerAddress;
  private final AtomicBoolean holdsSecrets = new AtomicBoolean();
  private volatile Node node;
  private volatile ProxyGroup group;
  private final Map<String, Sent> latestSent = new ConcurrentHashMap<>();
  private final Map<String, String> acked = new ConcurrentHashMap<>();
  private final Map<String, ConnectedProxies.Nack> lastNack = new ConcurrentHashMap<>();
  private final Map<String, java.util.List<String>> requested = new ConcurrentHashMap<>();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong nacks = new AtomicLong();

  StreamState(long id, Instant openedAt, ProvenProxy proven, String peerAddress) {
    this.id = id;
    this.openedAt = openedAt;
    this.proven = proven;
    this.peerAddress = peerAddress;
  }

  /** The peer's address as the transport saw it, or null when unknown (in-process). */
  String peerAddress() {
    return peerAddress;
  }

  /** Who the proxy proved to be on the secure port; null on the plaintext port. */
  ProvenProxy proven() {
    return proven;
  }

  /** Marks that this stream holds its identity's secrets; true only the first time. */
  boolean takeSecrets() {
    return holdsSecrets.compareAndSet(false, true);
  }

  boolean holdsSecrets() {
    return holdsSecrets.get();
  }

  long id() {
    return id;
  }

  Instant openedAt() {
    return openedAt;
  }

  Node node() {
    return node;
  }

  ProxyGroup group() {
    return group;
  }

  void pin(Node pinned, ProxyGroup pinnedGroup) {
    this.group = pinnedGroup; // group first: readers test node != null, then read the group
    this.node = pinned;
  }

  String nodeId() {
    Node n = node;
    return n == null ? "(unknown)" : n.getId();
  }

  /** One map operation per response: this runs once per proxy for every push. */
  void recordSent(String typeUrl, String nonce, String version) {
    latestSent.merge(typeUrl, new Sent(nonce, version, 1), (before, now) -> new Sent(nonce, version, before.count() + 1));
  }

  /** Records an accepted version; returns the version acked before, or null. */
  String recordAck(String typeUrl, String version) {
    return version.isEmpty() ? acked.get(typeUrl) : acked.put(typeUrl, version);
  }

  /** The resource names a state-of-the-world request of a type asked for last (empty: all). */
  void recordRequested(String typeUrl, java.util.List<String> names) {
    requested.put(typeUrl, java.util.List.copyOf(names));
  }

  /** The names asked for, empty for all (or for a delta stream, whose subscriptions are not tracked). */
  java.util.List<String> requested(String typeUrl) {
    return requested.getOrDefault(typeUrl, java.util.List.of());
  }

  /** The version of a type sent last, or null. */
  String sentVersion(String typeUrl) {
    Sent sent = latestSent.get(typeUrl);
    return sent == null ? null : sent.version();
  }

  /** The version of a type this stream acked last, or null. */
  String ackedVersion(String typeUrl) {
    return acked.get(typeUrl);
  }

  /** The last NACK of a type on this stream, or null. */
  ConnectedProxies.Nack lastNack(String typeUrl) {
    return lastNack.get(typeUrl);
  }

  /** Whether this stream was sent the type. */
  boolean wasSent(String typeUrl) {
    return latestSent.containsKey(typeUrl);
  }

  /** The type URLs this stream was sent. */
  java.util.Set<String> typesSent() {
    return java.util.Set.copyOf(latestSent.keySet());
  }

  void recordNack(String typeUrl, ConnectedProxies.Nack nack) {
    lastNack.put(typeUrl, nack);
  }

  /** Per type URL: what this stream acked, was sent, and last rejected. */
  Map<String, ConnectedProxies.TypeStatus> types() {
    java.util.Set<String> all = new java.util.TreeSet<>(latestSent.keySet());
    all.addAll(acked.keySet());
    all.addAll(lastNack.keySet());
    Map<String, ConnectedProxies.TypeStatus> out = new java.util.TreeMap<>();
    for (String type : all) {
      Sent sent = latestSent.get(type);
      String ackedVersion = acked.get(type);
      boolean pending = sent != null && !sent.version().equals(ackedVersion);
      out.put(type, new ConnectedProxies.TypeStatus(ackedVersion, sent == null ? null : sent.version(),
          pending ? sent.nonce() : null, sent == null ? 0 : sent.count(), lastNack.get(type)));
    }
    return out;
  }

  /** The version this stream was sent with {@code nonce} for a type, or null if unknown. */
  String versionSent(String typeUrl, String nonce) {
    Sent sent = latestSent.get(typeUrl);
    return sent != null && sent.nonce().equals(nonce) ? sent.version() : null;
  }

  long countRequest() {
    return requests.incrementAndGet();
  }

  long countNack() {
    return nacks.incrementAndGet();
  }

  long requests() {
    return requests.get();
  }

  long nacks() {
    return nacks.get();
  }
}
