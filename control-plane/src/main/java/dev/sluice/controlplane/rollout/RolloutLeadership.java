package dev.sluice.controlplane.rollout;

/**
 * Whether this replica decides rollouts. Outside Kubernetes mode there is one replica and it always
 * does; in Kubernetes mode only the holder of the Lease does.
 */
@FunctionalInterface
public interface RolloutLeadership {
  boolean leading();

  RolloutLeadership ALONE = () -> true;
}
