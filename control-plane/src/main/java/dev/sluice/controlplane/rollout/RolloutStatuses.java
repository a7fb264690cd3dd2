package dev.sluice.controlplane.rollout;

import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelRouteStatus;

/** A rollout's state as the route's {@code status.rollout} shows it. */
public final class RolloutStatuses {
  private RolloutStatuses() {}

  public static ModelRouteStatus.RolloutStatus of(ModelRoute route, RolloutState state) {
    return new ModelRouteStatus.RolloutStatus(state.phase().name(), state.step(), state.canaryWeight(),
        ModelRouteStatus.weights(RolloutWeights.apply(route, state.canaryWeight()).spec()), state.reason(),
        state.message());
  }
}
