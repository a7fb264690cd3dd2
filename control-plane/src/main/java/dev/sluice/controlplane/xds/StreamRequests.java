package dev.sluice.controlplane.xds;

import io.envoyproxy.controlplane.cache.DeltaXdsRequest;
import io.envoyproxy.controlplane.cache.XdsRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;

/**
 * Requests that carry the stream they arrived on, from {@link GuardedDiscoveryServer} to
 * {@link GuardedConfigWatcher}. A request is bound once, after the stream's callbacks admitted it;
 * one that reaches the watcher unbound is refused there.
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

    Sotw(DiscoveryRequest request) {
      this.request = request;
    }

    @Override
    public DiscoveryRequest v3Request() {
      return request;
    }
  }

  /** An incremental request and its stream. */
  static final class Delta extends DeltaXdsRequest {
    final Binding stream = new Binding();
    private final DeltaDiscoveryRequest request;

    Delta(DeltaDiscoveryRequest request) {
      this.request = request;
    }

    @Override
    public DeltaDiscoveryRequest v3Request() {
      return request;
    }
  }
}
