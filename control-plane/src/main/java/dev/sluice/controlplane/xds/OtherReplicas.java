package dev.sluice.controlplane.xds;

/**
 * What the other replicas of the control plane know of the proxies connected to them, so a route's
 * {@code Programmed} condition covers every proxy, not only this replica's. Outside Kubernetes mode
 * there are no other replicas.
 */
public interface OtherReplicas {

  /** The sum of the other replicas' tallies of {@code key} at {@code generation}. */
  RouteProgramming.Tally tally(String key, long generation);

  OtherReplicas NONE = (key, generation) -> RouteProgramming.Tally.NONE;
}
