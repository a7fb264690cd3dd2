package dev.sluice.controlplane.xds;

import io.envoyproxy.controlplane.cache.ConfigWatcher;
import io.envoyproxy.controlplane.cache.DeltaResponse;
import io.envoyproxy.controlplane.cache.DeltaWatch;
import io.envoyproxy.controlplane.cache.DeltaXdsRequest;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.cache.Response;
import io.envoyproxy.controlplane.cache.Watch;
import io.envoyproxy.controlplane.cache.XdsRequest;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.Status;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts java-control-plane's snapshot cache right on two points where, used naively, it goes wrong:
 *
 * <ol>
 *   <li><b>NACK loop.</b> A NACK carries the last <i>accepted</i> version, which differs from the
 *       snapshot's, so the cache answers at once with the rejected snapshot again, and again: thousands
 *       of NACKs a second per client. Here a NACK is taken as "the client has the rejected version", so
 *       the watch waits until a newer version exists.
 *   <li><b>Node on the first request only.</b> The cache groups by the node of each request, but
 *       Envoy's delta stream and grpc-js send it only on the first. Here every request gets the node
 *       pinned to its stream (a request naming another node or group was refused already).
 * </ol>
 *
 * <p>Both need the request's stream, which {@link GuardedDiscoveryServer} binds to the request
 * itself. A request without one is refused with an error that closes its stream: without its
 * stream the guard cannot work, and the unguarded cache is never the fallback.
 */
final class GuardedConfigWatcher implements ConfigWatcher {
  private static final Logger log = LoggerFactory.getLogger(GuardedConfigWatcher.class);
  private final ConfigWatcher cache;
  private final WorkloadSecrets secrets;

  /** A watcher for a server that serves no secrets. */
  GuardedConfigWatcher(ConfigWatcher cache) {
    this(cache, null);
  }

  GuardedConfigWatcher(ConfigWatcher cache, WorkloadSecrets secrets) {
    this.cache = cache;
    this.secrets = secrets;
  }

  @Override
  public Watch createWatch(
      boolean ads,
      XdsRequest request,
      Set<String> knownResourceNames,
      Consumer<Response> responseConsumer,
      boolean hasClusterChanged,
      boolean allowDefaultEmptyEdsUpdate) {
    DiscoveryRequest original = request.v3Request();
    StreamState stream = required(StreamRequests.streamOf(request), original.getTypeUrl());
    if (isSecret(original.getTypeUrl())) {
      return secretWatch(stream, ads, request, knownResourceNames, responseConsumer);
    }
    DiscoveryRequest.Builder fixed = null;
    if (!stream.node().equals(original.getNode())) {
      // Always the pinned node: the cache groups by the node of each request.
      fixed = original.toBuilder().setNode(stream.node());
    }
    if (request.hasErrorDetail()) {
      String rejected = stream.versionSent(original.getTypeUrl(), original.getResponseNonce());
      if (rejected != null) {
        fixed = (fixed == null ? original.toBuilder() : fixed).setVersionInfo(rejected);
        // The names asked for are the ones just rejected: nothing is new, nothing to send now.
        knownResourceNames = Set.copyOf(original.getResourceNamesList());
        hasClusterChanged = false;
      }
    }
    XdsRequest effective = fixed == null ? request : XdsRequest.create(fixed.build());
    return cache.createWatch(ads, effective, knownResourceNames, responseConsumer, hasClusterChanged, allowDefaultEmptyEdsUpdate);
  }

  @Override
  public DeltaWatch createDeltaWatch(
      DeltaXdsRequest request,
      String requesterVersion,
      Map<String, String> resourceVersions,
      Set<String> pendingResources,
      boolean isWildcard,
      Consumer<DeltaResponse> responseConsumer,
      boolean hasClusterChanged) {
    StreamState stream = required(StreamRequests.streamOf(request), request.v3Request().getTypeUrl());
    if (isSecret(request.v3Request().getTypeUrl())) {
      if (stream.proven() == null || secrets == null) {
        return new DeltaWatch(request, Map.of(), Set.of(), requesterVersion, isWildcard, responseConsumer); // never answered
      }
      DeltaXdsRequest own = DeltaXdsRequest.create(request.v3Request().toBuilder().setNode(ownSecrets(stream)).build());
      return secrets.watcher().createDeltaWatch(own, requesterVersion, resourceVersions, pendingResources, isWildcard,
          responseConsumer, false);
    }
    DeltaXdsRequest effective = request;
    if (!stream.node().equals(request.v3Request().getNode())) {
      effective = DeltaXdsRequest.create(request.v3Request().toBuilder().setNode(stream.node()).build());
    }
    return cache.createDeltaWatch(effective, requesterVersion, resourceVersions, pendingResources, isWildcard,
        responseConsumer, hasClusterChanged);
  }

  /**
   * The request's stream, which must be bound and pinned to a node: anything else means the server
   * was wired without {@link GuardedDiscoveryServer} or the library changed how it calls us.
   */
  private static StreamState required(StreamState stream, String typeUrl) {
    if (stream == null || stream.node() == null) {
      log.error("refused a {} watch: the request is not bound to an admitted xDS stream (the server must be a "
          + "GuardedDiscoveryServer); closing the stream", StreamRegistry.shortType(typeUrl));
      throw Status.INTERNAL.withDescription("the control plane could not tell which stream this request belongs to")
          .asRuntimeException();
    }
    return stream;
  }

  private static boolean isSecret(String typeUrl) {
    return Resources.V3.SECRET_TYPE_URL.equals(typeUrl);
  }

  /**
   * Secrets come from the proxy's own identity's snapshot, found by the identity its stream proved:
   * whatever node or names the request carries, no other identity's secrets can be reached.
   */
  private Watch secretWatch(StreamState stream, boolean ads, XdsRequest request, Set<String> known,
      Consumer<Response> responseConsumer) {
    if (stream.proven() == null || secrets == null) {
      return new Watch(ads, false, request, responseConsumer); // StreamRegistry refused it already; never answered
    }
    DiscoveryRequest.Builder own = request.v3Request().toBuilder().setNode(ownSecrets(stream));
    if (request.hasErrorDetail()) {
      String rejected = stream.versionSent(request.getTypeUrl(), request.getResponseNonce());
      if (rejected != null) {
        own.setVersionInfo(rejected);
        known = Set.copyOf(request.getResourceNamesList());
      }
    }
    return secrets.watcher().createWatch(ads, XdsRequest.create(own.build()), known, responseConsumer, false, false);
  }

  private Node ownSecrets(StreamState stream) {
    return Node.newBuilder().setId(secrets.key(stream.proven())).build();
  }
}
