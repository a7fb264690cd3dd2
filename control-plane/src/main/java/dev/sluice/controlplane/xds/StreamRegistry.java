package dev.sluice.controlplane.xds;

import dev.sluice.controlplane.identity.ProvenProxy;
import com.google.protobuf.Value;
import dev.sluice.translate.ProxyGroup;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.controlplane.server.exception.RequestException;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracks every xDS stream: pins its node, records what it was sent, logs NACKs. {@link
 * GuardedDiscoveryServer} binds each admitted request to its stream by id ({@link #stream}), for
 * {@link GuardedConfigWatcher}.
 */
final class StreamRegistry implements DiscoveryServerCallbacks {
  private static final Logger log = LoggerFactory.getLogger(StreamRegistry.class);

  private final Map<Long, StreamState> streams = new ConcurrentHashMap<>();
  /** The open streams of proxies that proved their identity, by node id; for {@link #provenFrom}. */
  private final Map<String, java.util.Set<StreamState>> provenByNode = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Consumer<ProxyGroup> groupSeen;
  private final WorkloadSecrets secrets;
  private final XdsMetrics metrics;
  private final List<Consumer<ProxyGroup>> ackListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** A registry for a server that serves no secrets. */
  StreamRegistry(Clock clock, Consumer<ProxyGroup> groupSeen) {
    this(clock, groupSeen, null, XdsMetrics.unregistered());
  }

  StreamRegistry(Clock clock, Consumer<ProxyGroup> groupSeen, WorkloadSecrets secrets, XdsMetrics metrics) {
    this.clock = clock;
    this.groupSeen = groupSeen;
    this.secrets = secrets;
    this.metrics = metrics;
  }

  /**
   * Whether every stream of the group that was sent a type acked the given version of it (type URL
   * to version). Streams that never asked for a type are not waited for.
   */
  boolean allAcked(ProxyGroup group, Map<String, String> versions) {
    for (StreamState s : streams.values()) {
      if (s.node() == null || !group.equals(s.group())) {
        continue;
      }
      java.util.Set<String> sent = s.typesSent();
      for (Map.Entry<String, String> v : versions.entrySet()) {
        if (sent.contains(v.getKey()) && !v.getValue().equals(s.ackedVersion(v.getKey()))) {
          return false;
        }
      }
    }
    return true;
  }

  /** Runs after a stream of a group acks a new version, on the stream's thread; must be quick. */
  void onAck(Consumer<ProxyGroup> listener) {
    ackListeners.add(listener);
  }

  /** The open stream with this id, or null when it is closed or unknown. */
  StreamState stream(long streamId) {
    return streams.get(streamId);
  }

  Collection<StreamState> streams() {
    return List.copyOf(streams.values());
  }

  @Override
  public void onStreamOpen(long streamId, String typeUrl) {
    streams.put(streamId, newStream(streamId));
  }

  @Override
  public void onStreamClose(long streamId, String typeUrl) {
    closed(streamId, null);
  }

  @Override
  public void onStreamCloseWithError(long streamId, String typeUrl, Throwable error) {
    closed(streamId, error);
  }

  /**
   * Whether the node has an open stream on which it proved its identity, from this host (the peer's
   * address without its port, as {@link #peerHost} gives it).
   */
  boolean provenFrom(String nodeId, String host) {
    java.util.Set<StreamState> open = provenByNode.get(nodeId);
    if (open == null || host == null) {
      return false;
    }
    for (StreamState s : open) {
      if (host.equals(peerHost(s.peerAddress()))) {
        return true;
      }
    }
    return false;
  }

  /** The host of a peer address as the transport writes it ({@code /10.0.0.7:51234}), null when unknown. */
  static String peerHost(String peerAddress) {
    if (peerAddress == null) {
      return null;
    }
    int colon = peerAddress.lastIndexOf(':');
    String host = colon < 0 ? peerAddress : peerAddress.substring(0, colon);
    return host.substring(host.lastIndexOf('/') + 1);
  }

  private void closed(long streamId, Throwable error) {
    StreamState s = streams.remove(streamId);
    if (s != null && s.proven() != null && s.node() != null) {
      provenByNode.computeIfPresent(s.nodeId(), (id, open) -> {
        open.remove(s);
        return open.isEmpty() ? null : open;
      });
    }
    if (s != null && s.holdsSecrets()) {
      secrets.release(s.proven());
    }
    if (s != null && s.node() != null) {
      log.info("xDS stream {} of node {} ({}) closed{}", streamId, s.nodeId(), s.group(),
          error == null ? "" : ": " + Status.fromThrowable(error));
    }
  }

  @Override
  public void onV3StreamRequest(long streamId, DiscoveryRequest request) throws RequestException {
    StreamState s = admit(streamId, request.hasNode() ? request.getNode() : null);
    gateSecrets(s, request.getTypeUrl());
    s.recordRequested(request.getTypeUrl(), request.getResourceNamesList());
    if (request.hasErrorDetail()) {
      nack(s, request.getTypeUrl(), s.versionSent(request.getTypeUrl(), request.getResponseNonce()),
          request.getErrorDetail().getMessage());
    } else {
      acked(s, request.getTypeUrl(), request.getVersionInfo());
    }
  }

  @Override
  public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) throws RequestException {
    StreamState s = admit(streamId, request.hasNode() ? request.getNode() : null);
    gateSecrets(s, request.getTypeUrl());
    if (request.hasErrorDetail()) {
      nack(s, request.getTypeUrl(), s.versionSent(request.getTypeUrl(), request.getResponseNonce()),
          request.getErrorDetail().getMessage());
    } else if (!request.getResponseNonce().isEmpty()) {
      String version = s.versionSent(request.getTypeUrl(), request.getResponseNonce());
      if (version != null) {
        acked(s, request.getTypeUrl(), version);
      }
    }
  }

  @Override
  public void onV3StreamResponse(long streamId, DiscoveryRequest request, DiscoveryResponse response) {
    sent(streamId, response.getTypeUrl(), response.getNonce(), response.getVersionInfo(), response.getResourcesCount());
  }

  @Override
  public void onV3StreamDeltaResponse(long streamId, DeltaDiscoveryRequest request, DeltaDiscoveryResponse response) {
    sent(streamId, response.getTypeUrl(), response.getNonce(), response.getSystemVersionInfo(), response.getResourcesCount());
  }

  private void acked(StreamState s, String typeUrl, String version) {
    String before = s.recordAck(typeUrl, version);
    if (!version.isEmpty() && before != null && !before.equals(version)) {
      metrics.acked(s.group(), typeUrl, version);
    }
    if (!version.isEmpty() && !version.equals(before)) {
      ackListeners.forEach(l -> l.accept(s.group()));
    }
  }

  private void sent(long streamId, String typeUrl, String nonce, String version, int resources) {
    metrics.pushed(typeUrl);
    StreamState s = streams.get(streamId);
    if (s != null) {
      s.recordSent(typeUrl, nonce, version);
      if (log.isDebugEnabled()) { // once per response: not even the arguments unless asked for
        log.debug("sent {} version {} ({} resources, nonce {}) to node {}", shortType(typeUrl), version, resources, nonce,
            s.nodeId());
      }
    }
  }

  private StreamState admit(long streamId, Node node) throws RequestException {
    StreamState s = streams.computeIfAbsent(streamId, this::newStream);
    s.countRequest();
    if (s.node() == null) {
      if (node == null) {
        throw new RequestException(Status.INVALID_ARGUMENT.withDescription("the first request of a stream must carry the node"));
      }
      ProxyGroups.Resolution r = ProxyGroups.resolve(node);
      if (r.error() != null) {
        log.warn("refused xDS stream {} of node {}: {}", streamId, node.getId(), r.error());
        throw new RequestException(Status.INVALID_ARGUMENT.withDescription(r.error()));
      }
      checkProven(streamId, s.proven(), node, r.group());
      s.pin(node, r.group());
      if (s.proven() != null) {
        provenByNode.compute(node.getId(), (id, open) -> {
          java.util.Set<StreamState> set = open == null ? ConcurrentHashMap.newKeySet() : open;
          set.add(s);
          return set;
        });
      }
      log.info("xDS stream {} opened by node {} ({}, {}{})", streamId, node.getId(), r.group(),
          node.getUserAgentName().isEmpty() ? "no user agent" : node.getUserAgentName(),
          s.proven() == null ? "" : ", identity " + s.proven().identity());
      groupSeen.accept(r.group());
    } else if (node != null && !node.getId().equals(s.node().getId())) {
      log.warn("closed xDS stream {}: node {} sent a request naming node {}", streamId, s.nodeId(), node.getId());
      throw new RequestException(Status.PERMISSION_DENIED.withDescription(
          "this stream belongs to node " + s.nodeId() + "; a stream may not change its node"));
    } else if (node != null && !s.group().equals(ProxyGroups.resolve(node).group())) {
      log.warn("closed xDS stream {}: node {} ({}) sent a request for another group", streamId, s.nodeId(), s.group());
      throw new RequestException(Status.PERMISSION_DENIED.withDescription(
          "this stream belongs to group " + s.group() + "; a stream may not change its role or listener port"));
    }
    return s;
  }

  private StreamState newStream(long streamId) {
    // Runs on the call's own thread, inside its gRPC context: the secure port put the proof there.
    return new StreamState(streamId, clock.instant(), AuthenticatedStreams.current(), EndableCall.PEER.get());
  }

  /**
   * A proven proxy uses the node id and role its credential names, and no other; a node that names
   * its namespace must have proven an identity in it.
   */
  private static void checkProven(long streamId, ProvenProxy proven, Node node, ProxyGroup group) throws RequestException {
    if (proven == null) {
      return;
    }
    String refusal = refusal(proven, node, group);
    if (refusal != null) {
      log.warn("refused xDS stream {}: {}", streamId, refusal);
      throw new RequestException(Status.PERMISSION_DENIED.withDescription(refusal));
    }
  }

  /** Why a proven proxy may not act as this node of this group, or null when it may. */
  static String refusal(ProvenProxy proven, Node node, ProxyGroup group) {
    String refusal = null;
    if (proven.nodeId() != null && !proven.nodeId().equals(node.getId())) {
      refusal = "the credential of " + proven.identity() + " is for node " + proven.nodeId() + ", not " + node.getId();
    } else if (claimedNamespace(node).filter(ns -> !ns.equals(proven.namespace())).isPresent()) {
      refusal = "the credential of " + proven.identity() + " is for namespace " + proven.namespace()
          + ", but the node says it is in " + claimedNamespace(node).orElseThrow();
    } else if (group.sidecar() != null && !group.sidecar().namespace().equals(proven.namespace())) {
      refusal = "the credential of " + proven.identity() + " is for namespace " + proven.namespace()
          + ", but the sidecar says it is in " + group.sidecar().namespace();
    } else if (group.sidecar() != null && !group.sidecar().serviceAccount().equals(proven.serviceAccount())) {
      refusal = "the credential of " + proven.identity() + " is for service account " + proven.serviceAccount()
          + ", but the sidecar says it runs as " + group.sidecar().serviceAccount();
    } else if (proven.role() != null && proven.role() != group.role()) {
      refusal = "the credential of " + proven.identity() + " is for role " + proven.role().wireName()
          + ", but the node asks for " + group.role().wireName();
    }
    return refusal;
  }

  /** The namespace a node says it runs in ({@code metadata["sluice.namespace"]}), if it says. */
  private static Optional<String> claimedNamespace(Node node) {
    Value v = node.getMetadata().getFieldsMap().get(ProxyGroups.NAMESPACE);
    return v == null || !v.hasStringValue() ? Optional.empty() : Optional.of(v.getStringValue());
  }

  /** Secrets go only to a proxy that proved its identity on the secure port, and only its own. */
  private void gateSecrets(StreamState s, String typeUrl) throws RequestException {
    if (!Resources.V3.SECRET_TYPE_URL.equals(typeUrl)) {
      return;
    }
    if (s.proven() == null || secrets == null) {
      log.warn("refused secrets to node {} ({}): not an authenticated stream on the secure port", s.nodeId(), s.group());
      throw new RequestException(Status.PERMISSION_DENIED.withDescription(
          "secrets are served only on the secure xDS port (sluice.xds.secure-port), to a proxy that proved its identity"));
    }
    if (s.takeSecrets()) {
      secrets.acquire(s.proven());
    }
  }

  private void nack(StreamState s, String typeUrl, String version, String detail) {
    metrics.rejected(typeUrl);
    long count = s.countNack();
    s.recordNack(typeUrl, new ConnectedProxies.Nack(clock.instant(), version, detail));
    log.warn("NACK from node {} ({}) for {} version {}: {} [{} NACKs on this stream]",
        s.nodeId(), s.group(), shortType(typeUrl), version == null ? "(unknown)" : version, detail, count);
  }

  static String shortType(String typeUrl) {
    return typeUrl.substring(typeUrl.lastIndexOf('.') + 1);
  }
}
