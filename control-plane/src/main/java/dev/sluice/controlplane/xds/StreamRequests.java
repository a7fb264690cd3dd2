package dev.sluice.controlplane.xds;

import io.envoyproxy.controlplane.cache.DeltaXdsRequest;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.XdsRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;

/**
 * Requests that carry the stream they arrived on, from {@link GuardedDiscoveryServer} to
 * {@link GuardedConfigWatcher}. A request is bound once, after the stream's callbacks admitted it;
 * one that reaches the watcher unbound is refused there.
 *
 * <p>Each request also looks its resource type up once. java-control-plane asks an open watch's
 * request for it once per type on every publication, as it sweeps all the group's watches; looking
 * the type URL up in a map each time was 8 % of the publishing thread at 1,000 proxies.
 */
final class StreamRequests {
  private StreamRequests() {}

  /** The stream a request was bound to, or null when it was never bound. */
  static StreamState streamOf(XdsRequest request) {
    return request instanceof Sotw r ? r.stream.get() : null;
  }

  /** The stream a delta request was bound to, or null when it was never bound. */
  static StreamState streamOf(DeltaXdsRequest request) {
    return request instanceof Delta r ? r.stream.get() : null;
  }

  /** Where a request keeps its stream: set once, by the server, after the stream admitted it. */
  static final class Binding {
    private volatile StreamState stream;

    void bind(StreamState s) {
      if (stream != null) {
        throw new IllegalStateException("request already bound to stream " + stream.id());
      }
      stream = s;
    }

    StreamState get() {
      return stream;
    }
  }

  /** A state-of-the-world request and its stream. */
  static final class Sotw extends XdsRequest {
    final Binding stream = new Binding();
    private final DiscoveryRequest request;
    private final ResourceType type;

    Sotw(DiscoveryRequest request) {
      this.request = request;
      this.type = Resources.TYPE_URLS_TO_RESOURCE_TYPE.get(request.getTypeUrl());
    }

    @Override
    public DiscoveryRequest v3Request() {
      return request;
    }

    @Override
    public ResourceType getResourceType() {
      return type;
    }
  }

  /** An incremental request and its stream. */
  static final class Delta extends DeltaXdsRequest {
    final Binding stream = new Binding();
    private final DeltaDiscoveryRequest request;
    private final ResourceType type;

    Delta(DeltaDiscoveryRequest request) {
      this.request = request;
      this.type = Resources.TYPE_URLS_TO_RESOURCE_TYPE.get(request.getTypeUrl());
    }

    @Override
    public DeltaDiscoveryRequest v3Request() {
      return request;
    }

    @Override
    public ResourceType getResourceType() {
      return type;
    }
  }
}
