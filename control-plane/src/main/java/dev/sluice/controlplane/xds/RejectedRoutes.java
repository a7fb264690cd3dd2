package dev.sluice.controlplane.xds;

import dev.sluice.model.FieldError;
import dev.sluice.model.ModelRoute;
import dev.sluice.translate.ProxyGroup;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stored routes the publisher left out of some group's snapshot, with the reasons: a route
 * that passed at write time can still fail later (a newer Sluice translating it differently, a
 * host claimed by an older route). Kept per generation, so a fixed route never shows the reasons
 * of its previous generation.
 */
public final class RejectedRoutes {
  /** Why one generation of a route was left out of one group. */
  public record Rejection(long generation, ProxyGroup group, List<FieldError> errors) {}

  private final Map<ProxyGroup, Map<String, Rejection>> byGroup = new ConcurrentHashMap<>();

  void record(ProxyGroup group, List<ModelRoute> routes, Map<String, List<FieldError>> rejected) {
    Map<String, Rejection> current = new ConcurrentHashMap<>();
    for (ModelRoute route : routes) {
      List<FieldError> errors = rejected.get(route.key());
      if (errors != null) {
        current.put(route.key(), new Rejection(route.metadata().generation(), group, errors));
      }
    }
    byGroup.put(group, current);
  }

  /** The first group's reasons for leaving out this generation of the route, if any did. */
  public Optional<Rejection> of(ModelRoute route) {
    return byGroup.values().stream()
        .map(m -> m.get(route.key()))
        .filter(r -> r != null && r.generation() == route.metadata().generation())
        .findFirst();
  }
}
