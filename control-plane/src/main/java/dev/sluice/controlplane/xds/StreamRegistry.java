package dev.sluice.controlplane.xds;

import dev.sluice.translate.ProxyGroup;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracks every xDS stream: pins its node, records what it was sent, logs NACKs, and hands the
 * stream to {@link GuardedConfigWatcher} for the request that is about to create a watch.
 *
 * <p>java-control-plane calls {@code onV3StreamRequest} on the request's own thread immediately
 * before it asks the config watcher for a watch, so a thread-local carries the stream across.
 */
final class StreamRegistry implements DiscoveryServerCallbacks {
  private static final Logger log = LoggerFactory.getLogger(StreamRegistry.class);
  private static final ThreadLocal<StreamState> CURRENT = new ThreadLocal<>();

  private final Map<Long, StreamState> streams = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Consumer<ProxyGroup> groupSeen;

  StreamRegistry(Clock clock, Consumer<ProxyGroup> groupSeen) {
    this.clock = clock;
    this.groupSeen = groupSeen;
  }

  /** The stream whose request is being handled on this thread; cleared by reading it. */
  static StreamState takeCurrent() {
    StreamState s = CURRENT.get();
    CURRENT.remove();
    return s;
  }

  Collection<StreamState> streams() {
    return List.copyOf(streams.values());
  }

  @Override
  public void onStreamOpen(long streamId, String typeUrl) {
    streams.put(streamId, new StreamState(streamId, clock.instant()));
  }

  @Override
  public void onStreamClose(long streamId, String typeUrl) {
    closed(streamId, null);
  }

  @Override
  public void onStreamCloseWithError(long streamId, String typeUrl, Throwable error) {
    closed(streamId, error);
  }

  private void closed(long streamId, Throwable error) {
    StreamState s = streams.remove(streamId);
    if (s != null && s.node() != null) {
      log.info("xDS stream {} of node {} ({}) closed{}", streamId, s.nodeId(), s.group(),
          error == null ? "" : ": " + Status.fromThrowable(error));
    }
  }

  @Override
  public void onV3StreamRequest(long streamId, DiscoveryRequest request) throws RequestException {
    CURRENT.remove(); // a request the server ignores (stale nonce) must not leave its stream behind
    StreamState s = admit(streamId, request.hasNode() ? request.getNode() : null);
    if (request.hasErrorDetail()) {
      nack(s, request.getTypeUrl(), s.versionSent(request.getTypeUrl(), request.getResponseNonce()),
          request.getErrorDetail().getMessage());
    } else {
      s.recordAck(request.getTypeUrl(), request.getVersionInfo());
    }
    CURRENT.set(s);
  }

  @Override
  public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) throws RequestException {
    CURRENT.remove();
    StreamState s = admit(streamId, request.hasNode() ? request.getNode() : null);
    if (request.hasErrorDetail()) {
      nack(s, request.getTypeUrl(), s.versionSent(request.getTypeUrl(), request.getResponseNonce()),
          request.getErrorDetail().getMessage());
    } else if (!request.getResponseNonce().isEmpty()) {
      String version = s.versionSent(request.getTypeUrl(), request.getResponseNonce());
      if (version != null) {
        s.recordAck(request.getTypeUrl(), version);
      }
    }
    CURRENT.set(s);
  }

  @Override
  public void onV3StreamResponse(long streamId, DiscoveryRequest request, DiscoveryResponse response) {
    sent(streamId, response.getTypeUrl(), response.getNonce(), response.getVersionInfo(), response.getResourcesCount());
  }

  @Override
  public void onV3StreamDeltaResponse(long streamId, DeltaDiscoveryRequest request, DeltaDiscoveryResponse response) {
    sent(streamId, response.getTypeUrl(), response.getNonce(), response.getSystemVersionInfo(), response.getResourcesCount());
  }

  private void sent(long streamId, String typeUrl, String nonce, String version, int resources) {
    StreamState s = streams.get(streamId);
    if (s != null) {
      s.recordSent(typeUrl, nonce, version);
      log.debug("sent {} version {} ({} resources, nonce {}) to node {}", shortType(typeUrl), version, resources, nonce, s.nodeId());
    }
  }

  private StreamState admit(long streamId, Node node) throws RequestException {
    StreamState s = streams.computeIfAbsent(streamId, id -> new StreamState(id, clock.instant()));
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
      s.pin(node, r.group());
      log.info("xDS stream {} opened by node {} ({}, {})", streamId, node.getId(), r.group(),
          node.getUserAgentName().isEmpty() ? "no user agent" : node.getUserAgentName());
      groupSeen.accept(r.group());
    } else if (node != null && !node.getId().equals(s.node().getId())) {
      log.warn("closed xDS stream {}: node {} sent a request naming node {}", streamId, s.nodeId(), node.getId());
      throw new RequestException(Status.PERMISSION_DENIED.withDescription(
          "this stream belongs to node " + s.nodeId() + "; a stream may not change its node"));
    }
    return s;
  }

  private void nack(StreamState s, String typeUrl, String version, String detail) {
    long count = s.countNack();
    s.recordNack(typeUrl, new ConnectedProxies.Nack(clock.instant(), version, detail));
    log.warn("NACK from node {} ({}) for {} version {}: {} [{} NACKs on this stream]",
        s.nodeId(), s.group(), shortType(typeUrl), version == null ? "(unknown)" : version, detail, count);
  }

  static String shortType(String typeUrl) {
    return typeUrl.substring(typeUrl.lastIndexOf('.') + 1);
  }
}
