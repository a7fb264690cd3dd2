package dev.sluice.controlplane.xds;

import io.envoyproxy.controlplane.cache.ConfigWatcher;
import io.envoyproxy.controlplane.cache.DeltaResponse;
import io.envoyproxy.controlplane.cache.DeltaWatch;
import io.envoyproxy.controlplane.cache.DeltaXdsRequest;
import io.envoyproxy.controlplane.cache.Response;
import io.envoyproxy.controlplane.cache.Watch;
import io.envoyproxy.controlplane.cache.XdsRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Puts java-control-plane's snapshot cache right on two points where, used naively, it goes wrong:
 *
 * <ol>
 *   <li><b>NACK loop.</b> A NACK carries the last <i>accepted</i> version, which differs from the
 *       snapshot's, so the cache answers at once with the rejected snapshot again, and again: thousands
 *       of NACKs a second per client. Here a NACK is taken as "the client has the rejected version", so
 *       the watch waits until a newer version exists.
 *   <li><b>Node on the first request only.</b> The cache groups by the node of each request, but
 *       Envoy's delta stream and grpc-js send it only on the first. Here a request without a node gets
 *       the node pinned to its stream.
 * </ol>
 */
final class GuardedConfigWatcher implements ConfigWatcher {
  private final ConfigWatcher cache;

  GuardedConfigWatcher(ConfigWatcher cache) {
    this.cache = cache;
  }

  @Override
  public Watch createWatch(
      boolean ads,
      XdsRequest request,
      Set<String> knownResourceNames,
      Consumer<Response> responseConsumer,
      boolean hasClusterChanged,
      boolean allowDefaultEmptyEdsUpdate) {
    StreamState stream = StreamRegistry.takeCurrent();
    DiscoveryRequest original = request.v3Request();
    if (stream == null) {
      return cache.createWatch(ads, request, knownResourceNames, responseConsumer, hasClusterChanged, allowDefaultEmptyEdsUpdate);
    }
    DiscoveryRequest.Builder fixed = null;
    if (!original.hasNode() && stream.node() != null) {
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
    StreamState stream = StreamRegistry.takeCurrent();
    DeltaXdsRequest effective = request;
    if (stream != null && stream.node() != null && !request.v3Request().hasNode()) {
      effective = DeltaXdsRequest.create(request.v3Request().toBuilder().setNode(stream.node()).build());
    }
    return cache.createDeltaWatch(effective, requesterVersion, resourceVersions, pendingResources, isWildcard,
        responseConsumer, hasClusterChanged);
  }
}
