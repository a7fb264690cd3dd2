package dev.sluice.controlplane.rollout;

import java.util.Map;
import java.util.Optional;

/**
 * Where rollouts' progress is kept, by route key ({@code namespace/name}), so it survives a restart.
 * Implementations are thread-safe.
 */
public interface RolloutStates {

  /** Called after a write that changes the weights proxies are to be given, on the writer's thread. */
  void onWeightsChange(Runnable listener);

  /** A route's state as last seen; may lag a write made elsewhere by a moment. */
  default Optional<RolloutState> get(String key) {
    return Optional.ofNullable(all().get(key));
  }

  /** Every state as last seen, by route key: what proxies are given. May lag a write made elsewhere by a moment. */
  Map<String, RolloutState> all();

  /** Every state as stored now, by route key: what the leader decides on. */
  default Map<String, RolloutState> load() {
    return all();
  }

  /**
   * Stores {@code next} if the stored state is still {@code expected} (null: none stored); false, and
   * nothing written, when it is not. Compare-and-set, so a decision made on a state another replica
   * or a user's action changed meanwhile is never written over it.
   */
  boolean replace(String key, RolloutState expected, RolloutState next);

  void remove(String key);
}
