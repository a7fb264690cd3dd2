package dev.sluice.controlplane.rollout;

import java.time.Instant;

/**
 * One thing that happened to a rollout, kept in its history.
 *
 * @param at when
 * @param event StepPublished, StepStarted, CheckFailed, Paused, Resumed, Promoted, RolledBack...
 * @param phase the phase after it
 * @param canaryWeight the canary's weight after it
 * @param message the numbers, for people
 */
public record RolloutEvent(Instant at, String event, RolloutPhase phase, int canaryWeight, String message) {}
