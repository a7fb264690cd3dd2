package dev.sluice.controlplane.xds;

import dev.sluice.translate.ProxyGroup;
import io.envoyproxy.controlplane.cache.Resources;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each snapshot a group was given contained: the version of each type, and the generation of
 * each route it carries. Versions are content hashes, so a proxy's acked version of a type tells
 * which routes, at which generation, it runs. A bounded history per group.
 *
 * <p>Thread-safe: written by the publisher thread, read by API threads.
 */
final class PublishedEpochs {
  static final int HISTORY = 64;

  /** The routing types a group's snapshot carries, in the order proxies should apply them. */
  static final List<String> TYPES = List.of(Resources.V3.CLUSTER_TYPE_URL, Resources.V3.ENDPOINT_TYPE_URL,
      Resources.V3.LISTENER_TYPE_URL, Resources.V3.ROUTE_TYPE_URL);

  /** One published snapshot: type URL to version, and route key to what of the route it carried. */
  record Epoch(Map<String, String> versions, Map<String, Served> routes) {}

  /**
   * What a snapshot carried of a route: its generation, and the weighted split it was given (which
   * an automated rollout moves without a new generation).
   */
  record Served(Long generation, String weights) {}

  private final Map<ProxyGroup, Deque<Epoch>> byGroup = new ConcurrentHashMap<>();

  void record(ProxyGroup group, Map<String, String> versions, Map<String, Served> routes) {
    Deque<Epoch> history = byGroup.computeIfAbsent(group, g -> new ArrayDeque<>());
    Epoch epoch = new Epoch(Map.copyOf(versions), Map.copyOf(routes));
    synchronized (history) {
      if (epoch.equals(history.peekLast())) {
        return; // a publication that changed nothing for this group
      }
      history.addLast(epoch);
      while (history.size() > HISTORY) {
        history.removeFirst();
      }
    }
  }

  /** Newest first. */
  List<Epoch> history(ProxyGroup group) {
    Deque<Epoch> history = byGroup.get(group);
    if (history == null) {
      return List.of();
    }
    synchronized (history) {
      List<Epoch> copy = new java.util.ArrayList<>(history);
      java.util.Collections.reverse(copy);
      return copy;
    }
  }

  /** The routes of the group's latest snapshot, or empty. */
  Map<String, Served> latestRoutes(ProxyGroup group) {
    List<Epoch> h = history(group);
    return h.isEmpty() ? Map.of() : h.get(0).routes();
  }

  /** Whether a snapshot of this history (newest first) with this version of the type carried the route at this generation. */
  static boolean carries(List<Epoch> history, String typeUrl, String version, String routeKey, long generation) {
    return carries(history, typeUrl, version, routeKey, served -> served.generation() != null && served.generation() == generation);
  }

  /** Whether a snapshot of this history (newest first) with this version of the type carried the route as {@code test} wants. */
  static boolean carries(List<Epoch> history, String typeUrl, String version, String routeKey,
      java.util.function.Predicate<Served> test) {
    if (version == null) {
      return false;
    }
    for (Epoch e : history) {
      Served served = e.routes().get(routeKey);
      if (version.equals(e.versions().get(typeUrl)) && served != null && test.test(served)) {
        return true;
      }
    }
    return false;
  }
}
