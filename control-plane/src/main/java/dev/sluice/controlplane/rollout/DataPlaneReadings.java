package dev.sluice.controlplane.rollout;

import dev.sluice.model.RolloutAnalysis;

/**
 * What the data plane reported of each version's cluster, read as cumulative readings; a window is
 * the difference of two readings.
 */
public interface DataPlaneReadings {

  /** The cluster's counters now. */
  Reading read(String cluster);

  /** A cumulative reading of one cluster. */
  interface Reading {
    /** What the cluster served between {@code earlier} and this reading, failures counted by {@code failures}. */
    Numbers since(Reading earlier, RolloutAnalysis.FailureCodes failures);
  }
}
