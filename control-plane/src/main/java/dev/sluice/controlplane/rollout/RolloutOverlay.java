package dev.sluice.controlplane.rollout;

import dev.sluice.model.ModelRoute;
import java.util.List;
import java.util.Map;

/**
 * The routes as proxies are to see them: a route whose rollout has started gets the rollout's
 * weighted split instead of its own. Pure.
 */
public final class RolloutOverlay {
  private RolloutOverlay() {}

  public static List<ModelRoute> apply(List<ModelRoute> routes, Map<String, RolloutState> states) {
    if (states.isEmpty()) {
      return routes;
    }
    return routes.stream().map(r -> effective(r, states.get(r.key()))).toList();
  }

  static ModelRoute effective(ModelRoute route, RolloutState state) {
    if (state == null || route.spec() == null || route.spec().rollout() == null
        || !state.rolloutHash().equals(RolloutHash.of(route.spec()))) {
      return route;
    }
    return RolloutWeights.apply(route, state.canaryWeight());
  }
}
