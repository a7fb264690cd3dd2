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
    return request instanceof Sotw r ? r.stream : null;
  }

  /** The stream a delta request was bound to, or null when it was never bound. */
  static StreamState streamOf(DeltaXdsRequest request) {
    return request instanceof Delta r ? r.stream : null;
  }

  /** A state-of-the-world request, bound to its stream by {@link #bind}. */
  static final class Sotw extends XdsRequest {
    private final DiscoveryRequest request;
    private volatile StreamState stream;

    Sotw(DiscoveryRequest request) {
      this.request = request;
    }

    @Override
    public DiscoveryRequest v3Request() {
      return request;
    }

    void bind(StreamState s) {
      if (stream != null) {
        throw new IllegalStateException("request already bound to stream " + stream.id());
      }
      stream = s;
    }
  }

  /** An incremental request, bound to its stream by {@link #bind}. */
  static final class Delta extends DeltaXdsRequest {
    private final DeltaDiscoveryRequest request;
    private volatile StreamState stream;

    Delta(DeltaDiscoveryRequest request) {
      this.request = request;
    }

    @Override
    public DeltaDiscoveryRequest v3Request() {
      return request;
    }

    void bind(StreamState s) {
      if (stream != null) {
        throw new IllegalStateException("request already bound to stream " + stream.id());
      }
      stream = s;
    }
  }
}
