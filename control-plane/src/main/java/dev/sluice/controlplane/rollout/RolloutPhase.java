package dev.sluice.controlplane.rollout;

/** Where an automated canary stands. */
public enum RolloutPhase {
  /** Steps are being taken: a step waits for every proxy to run it, then runs its interval under analysis. */
  Progressing,
  /** Held by a user at the current weights; nothing advances or rolls back until resumed. */
  Paused,
  /** The canary passed every step (or a user promoted it): it carries all the traffic. */
  Promoted,
  /** The canary failed its analysis, a proxy rejected its step, or a user aborted it: the stable split carries all the traffic. */
  RolledBack;

  /** Whether the rollout is over: nothing changes until a user resumes it or the rollout is rewritten. */
  public boolean finished() {
    return this == Promoted || this == RolledBack;
  }
}
