package dev.sluice.translate;

import dev.sluice.model.FieldError;
import dev.sluice.model.ModelRoute;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What {@link EnvoyTranslator#memoizing()} remembers: per group, the compiled output and check
 * result of each route of the last call, keyed by the whole route (a changed route is a new key).
 * Each call replaces its group's map, so memory stays at one output per current route and group.
 */
final class CompiledRoutes {
  /** One route's output for one group, and what the check found wrong with it. */
  record Compiled(RouteOutput output, List<FieldError> errors) {}

  private final Map<ProxyGroup, Map<ModelRoute, Compiled>> byGroup = new ConcurrentHashMap<>();

  Map<ModelRoute, Compiled> of(ProxyGroup group) {
    return byGroup.getOrDefault(group, Map.of());
  }

  void remember(ProxyGroup group, Map<ModelRoute, Compiled> compiled) {
    byGroup.put(group, Map.copyOf(compiled));
  }
}
