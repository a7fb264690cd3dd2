package dev.sluice.controlplane.xds;

import io.envoyproxy.controlplane.cache.DeltaXdsRequest;
import io.envoyproxy.controlplane.cache.XdsRequest;
import io.envoyproxy.controlplane.server.DefaultExecutorGroup;
import io.envoyproxy.controlplane.server.ExecutorGroup;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.controlplane.server.exception.RequestException;
import io.envoyproxy.controlplane.server.serializer.DefaultProtoResourcesSerializer;
import io.envoyproxy.controlplane.server.serializer.ProtoResourcesSerializer;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * java-control-plane's discovery server, with every request bound to the stream it arrived on
 * before {@link GuardedConfigWatcher} makes a watch for it.
 *
 * <p>The binding rides on the request object the server hands to the watcher: {@link #wrapXdsRequest}
 * makes a {@link StreamRequests.Sotw} for the raw request, and {@link #runStreamRequestCallbacks},
 * which is told the stream id, binds it to the stream {@link StreamRegistry} just admitted. Nothing
 * depends on which thread runs what. Should a release of the library wrap and call back in another
 * order, or make a watch from a request it never called back for, the request stays unbound and the
 * watcher refuses it, closing the stream: the guard fails closed, never open.
 */
final class GuardedDiscoveryServer extends V3DiscoveryServer {
  private final StreamRegistry streams;
  /** Raw request to its wrapper, from wrapping to the stream's callbacks (adjacent in the server's onNext). */
  private final Map<Identity, StreamRequests.Sotw> unbound = new ConcurrentHashMap<>();
  private final Map<Identity, StreamRequests.Delta> unboundDelta = new ConcurrentHashMap<>();

  /** A server with the library's default executors and serializer; for tests. */
  GuardedDiscoveryServer(StreamRegistry streams, GuardedConfigWatcher watcher) {
    this(streams, watcher, new DefaultExecutorGroup(), new DefaultProtoResourcesSerializer());
  }

  GuardedDiscoveryServer(StreamRegistry streams, GuardedConfigWatcher watcher, ExecutorGroup executors,
      ProtoResourcesSerializer serializer) {
    super(List.of(streams), watcher, executors, serializer);
    this.streams = streams;
  }

  @Override
  protected XdsRequest wrapXdsRequest(DiscoveryRequest request) {
    StreamRequests.Sotw wrapped = new StreamRequests.Sotw(request);
    unbound.put(new Identity(request), wrapped);
    return wrapped;
  }

  @Override
  protected DeltaXdsRequest wrapDeltaXdsRequest(DeltaDiscoveryRequest request) {
    StreamRequests.Delta wrapped = new StreamRequests.Delta(request);
    unboundDelta.put(new Identity(request), wrapped);
    return wrapped;
  }

  @Override
  protected void runStreamRequestCallbacks(long streamId, DiscoveryRequest request) throws RequestException {
    StreamRequests.Sotw wrapped = unbound.remove(new Identity(request));
    super.runStreamRequestCallbacks(streamId, request);
    bind(wrapped == null ? null : wrapped.stream, streamId);
  }

  @Override
  protected void runStreamDeltaRequestCallbacks(long streamId, DeltaDiscoveryRequest request) throws RequestException {
    StreamRequests.Delta wrapped = unboundDelta.remove(new Identity(request));
    super.runStreamDeltaRequestCallbacks(streamId, request);
    bind(wrapped == null ? null : wrapped.stream, streamId);
  }

  /** Binds a request the stream's callbacks admitted; one never wrapped here stays unbound, and is refused. */
  private void bind(StreamRequests.Binding binding, long streamId) {
    StreamState stream = streams.stream(streamId);
    if (binding != null && stream != null) {
      binding.bind(stream);
    }
  }

  /** Requests still waiting for their stream's callbacks; 0 between requests. */
  int unboundRequests() {
    return unbound.size() + unboundDelta.size();
  }

  /** A map key that is the object itself: equal requests from two streams are two requests. */
  private record Identity(Object request) {
    @Override
    public boolean equals(Object other) {
      return other instanceof Identity i && i.request == request;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(request);
    }
  }
}
