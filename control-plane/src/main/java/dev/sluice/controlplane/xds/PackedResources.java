package dev.sluice.controlplane.xds;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.protobuf.Any;
import com.google.protobuf.Message;
import io.envoyproxy.controlplane.cache.Resources.ApiVersion;
import io.envoyproxy.controlplane.server.serializer.ProtoResourcesSerializer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * Packs each resource of a snapshot into an {@code Any} once, however many streams it is sent to.
 *
 * <p>java-control-plane's own cache for this ({@code CachedProtoResourcesSerializer}) finds a packed
 * resource by {@code equals}, so every response to every proxy walked the whole message, field by
 * field, to find what it had packed already: at 1,000 gateways that comparison was a fifth of the
 * publishing thread's time (JFR, benchmarks/RESULTS.md). A snapshot hands every watch the very same
 * message objects, so here they are found by identity, in constant time. An equal resource in a
 * later snapshot is a new object and is packed once more, once per publication, not per proxy.
 * Entries go when their resource is collected (weak keys); the packed value holds only bytes.
 */
final class PackedResources implements ProtoResourcesSerializer {
  /** Guava compares weak keys by identity, which is the point. */
  private final Cache<Message, Any> packed = CacheBuilder.newBuilder().weakKeys().build();

  @Override
  public Collection<Any> serialize(Collection<? extends Message> resources, ApiVersion apiVersion) {
    List<Any> out = new ArrayList<>(resources.size());
    for (Message resource : resources) {
      out.add(serialize(resource, apiVersion));
    }
    return out;
  }

  @Override
  public Any serialize(Message resource, ApiVersion apiVersion) {
    try {
      return packed.get(resource, () -> Any.pack(resource));
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not pack a " + resource.getDescriptorForType().getFullName(), e.getCause());
    }
  }

  /** Resources packed and not yet collected; for tests. */
  long size() {
    packed.cleanUp();
    return packed.size();
  }
}
