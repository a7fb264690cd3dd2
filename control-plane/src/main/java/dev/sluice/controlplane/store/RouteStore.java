package dev.sluice.controlplane.store;

import dev.sluice.model.ModelRoute;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where ModelRoutes live: the embedded SQLite file ({@code sluice.store.type=sqlite}, the default)
 * or the Kubernetes API server ({@code kubernetes}). The REST API, the xDS publisher and the metrics
 * read and write through this alone, so both stores behave the same to them.
 *
 * <p>Implementations are thread-safe.
 */
public interface RouteStore {

  /** Called after every change, on the thread that saw it. */
  void onChange(Runnable listener);

  Optional<ModelRoute> get(String namespace, String name);

  /** All valid routes, or those of one namespace when it is not null; ordered by namespace and name. */
  List<ModelRoute> list(String namespace);

  /** How many routes each namespace holds; namespaces without routes are absent. */
  default Map<String, Long> countByNamespace() {
    Map<String, Long> counts = new TreeMap<>();
    list(null).forEach(r -> counts.merge(r.metadata().namespace(), 1L, Long::sum));
    return counts;
  }

  /**
   * Creates or replaces a route. {@code generation} moves only when the spec changes; a write that
   * changes nothing returns the stored route untouched.
   *
   * @param expectedResourceVersion the resourceVersion the writer last saw, or null for "any"
   * @throws StaleResourceVersionException when {@code expectedResourceVersion} is not current
   */
  WriteOutcome put(ModelRoute route, String expectedResourceVersion);

  /** Deletes a route and its revisions; empty when there was none. */
  Optional<ModelRoute> delete(String namespace, String name, String expectedResourceVersion);

  /** The revisions of a route, oldest first. */
  List<Revision> revisions(String namespace, String name);

  default Optional<Revision> revision(String namespace, String name, long generation) {
    return revisions(namespace, name).stream().filter(r -> r.generation() == generation).findFirst();
  }

  /**
   * Throws {@link StaleResourceVersionException} unless {@code expected} is absent or is the
   * resourceVersion of {@code current}; writes and dry runs share this one rule.
   */
  static void checkVersion(String key, String expected, Optional<ModelRoute> current) {
    if (expected == null || expected.isEmpty()) {
      return;
    }
    String actual = current.map(c -> c.metadata().resourceVersion()).orElse("");
    if (!expected.equals(actual)) {
      throw new StaleResourceVersionException(key, expected, actual.isEmpty() ? "(none: it does not exist)" : actual);
    }
  }
}
