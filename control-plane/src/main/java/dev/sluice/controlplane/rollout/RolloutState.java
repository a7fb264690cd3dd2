package dev.sluice.controlplane.rollout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The progress of one route's rollout, as stored: enough to resume the same step after a restart.
 *
 * @param rolloutHash what the state was made for: a hash of {@code spec.rollout} and the canary's
 *     version; when it changes the rollout starts again
 * @param generation the route's generation when the state last changed
 * @param phase where it stands
 * @param step the running step, 1-based
 * @param canaryWeight the canary's weight proxies are given
 * @param stepPublishedAt when this step's weights were handed to the proxies
 * @param stepStartedAt when every proxy ran this step; its interval counts from here; null while waiting
 * @param failedChecks consecutive failed checks
 * @param passedChecks checks passed in this step
 * @param reason why it is in this phase
 * @param message the numbers that decided it
 * @param history what happened, oldest first, the last {@link #HISTORY} events
 */
public record RolloutState(
    String rolloutHash, long generation, RolloutPhase phase, int step, int canaryWeight, Instant stepPublishedAt,
    Instant stepStartedAt, int failedChecks, int passedChecks, String reason, String message,
    List<RolloutEvent> history) {
  static final int HISTORY = 200;

  public RolloutState {
    history = history == null ? List.of() : List.copyOf(history);
  }

  RolloutState with(RolloutPhase newPhase, int newStep, int newWeight, Instant publishedAt, Instant startedAt,
      int failed, int passed, String newReason, String newMessage) {
    return new RolloutState(rolloutHash, generation, newPhase, newStep, newWeight, publishedAt, startedAt, failed, passed,
        newReason, newMessage, history);
  }

  RolloutState counting(int failed, int passed) {
    return with(phase, step, canaryWeight, stepPublishedAt, stepStartedAt, failed, passed, reason, message);
  }

  RolloutState event(Instant at, String event, String eventMessage) {
    List<RolloutEvent> h = new ArrayList<>(history);
    h.add(new RolloutEvent(at, event, phase, canaryWeight, eventMessage));
    while (h.size() > HISTORY) {
      h.remove(0);
    }
    return new RolloutState(rolloutHash, generation, phase, step, canaryWeight, stepPublishedAt, stepStartedAt,
        failedChecks, passedChecks, reason, message, h);
  }

  RolloutState atGeneration(long newGeneration) {
    return new RolloutState(rolloutHash, newGeneration, phase, step, canaryWeight, stepPublishedAt, stepStartedAt,
        failedChecks, passedChecks, reason, message, history);
  }
}
