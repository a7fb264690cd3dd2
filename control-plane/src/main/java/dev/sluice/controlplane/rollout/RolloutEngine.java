package dev.sluice.controlplane.rollout;

import dev.sluice.model.Rollout;
import java.time.Instant;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The rollout's rules, as a pure function of its state and what was observed.
 *
 * <ul>
 *   <li>A step's weights go to the proxies; the step starts only when every proxy that receives the
 *       route runs them, and its interval counts from there.
 *   <li>A proxy that rejects the step rolls the canary back at once.
 *   <li>While a step runs, each window of at least {@code minRequests} canary requests is one check
 *       ({@link Analysis}); {@code failureLimit} consecutive failed checks roll the canary back.
 *   <li>Once the interval is over and the step's last check passed, the whole step is judged as one
 *       more check (so a canary that passed a lucky window is judged again on all its requests): if it
 *       passes the next step goes out, after the last step the canary is promoted to 100; if it is
 *       undecided the step runs on.
 * </ul>
 */
final class RolloutEngine {
  private RolloutEngine() {}

  /**
   * What the proxies make of the current weights.
   *
   * @param allRun every proxy that receives the route runs them (true when no proxy receives it)
   * @param rejection why a proxy rejected them; null when none did
   */
  record Proxies(boolean allRun, String rejection) {}

  /**
   * One tick's observations.
   *
   * @param canary the canary's numbers since the window started
   * @param preStep asked before a step's weights go out, with the step's canary weight: null to go
   *     ahead, or why not (a webhook refused); a refusal counts as a failed check
   */
  record Inputs(Instant now, Proxies proxies, Numbers canary, Numbers step, IntFunction<String> preStep) {}

  /**
   * The next state; whether the check window starts again from now; whether the step's own numbers
   * do (the step started, or its numbers were judged failed).
   */
  record Result(RolloutState state, boolean newWindow, boolean newStepWindow) {
    Result(RolloutState state, boolean newWindow) {
      this(state, newWindow, newWindow && state.stepStartedAt() == null);
    }
  }

  /** A new rollout: its first step goes out now. */
  static RolloutState start(Rollout rollout, String hash, long generation, Instant now) {
    int weight = rollout.effectiveSteps().get(0);
    RolloutState s = new RolloutState(hash, generation, RolloutPhase.Progressing, 1, weight, now, null, 0, 0,
        "Started", null, List.of());
    return s.event(now, "StepPublished", "step 1 of " + rollout.effectiveSteps().size() + ": canary "
        + rollout.canary() + " at " + weight + " %, waiting for every proxy to run it");
  }

  static Result tick(Rollout rollout, RolloutState s, Inputs in) {
    if (s.phase() != RolloutPhase.Progressing) {
      return new Result(s, false);
    }
    if (in.proxies().rejection() != null) {
      return new Result(rollBack(s, in.now(), "Rejected", "a proxy rejected step " + s.step() + " (canary at "
          + s.canaryWeight() + " %): " + in.proxies().rejection()), true);
    }
    if (s.stepStartedAt() == null) {
      if (!in.proxies().allRun()) {
        return new Result(s, false);
      }
      RolloutState started = s.with(s.phase(), s.step(), s.canaryWeight(), s.stepPublishedAt(), in.now(), 0, 0,
          "StepRunning", null);
      return new Result(started.event(in.now(), "StepStarted", "every proxy runs step " + s.step() + ": canary "
          + rollout.canary() + " at " + s.canaryWeight() + " %"), true, true);
    }
    Analysis.Verdict verdict = Analysis.judge(rollout.effectiveAnalysis(), in.canary());
    RolloutState next = s;
    boolean newWindow = false;
    switch (verdict.outcome()) {
      case FAILED -> {
        int failed = s.failedChecks() + 1;
        int limit = rollout.effectiveAnalysis().failureLimit();
        next = s.counting(failed, s.passedChecks()).event(in.now(), "CheckFailed",
            "check " + failed + " of " + limit + " failed: " + verdict.message());
        if (failed >= limit) {
          return new Result(rollBack(next, in.now(), "FailedAnalysis", verdict.message() + "; " + failed
              + " consecutive failed checks"), true);
        }
        newWindow = true;
      }
      case PASSED -> {
        next = s.counting(0, s.passedChecks() + 1);
        newWindow = true;
      }
      case WAIT, UNDECIDED -> { }
    }
    boolean intervalOver = !in.now().isBefore(s.stepStartedAt().plus(rollout.effectiveInterval()));
    if (intervalOver && next.passedChecks() > 0 && next.failedChecks() == 0) {
      Analysis.Verdict whole = Analysis.judge(rollout.effectiveAnalysis(), in.step());
      switch (whole.outcome()) {
        case PASSED -> {
          return new Result(advance(rollout, next, in), true, true);
        }
        case FAILED -> {
          int failed = next.failedChecks() + 1;
          int limit = rollout.effectiveAnalysis().failureLimit();
          String message = "step " + s.step() + " as a whole: " + whole.message();
          RolloutState held = next.counting(failed, 0).event(in.now(), "CheckFailed",
              "check " + failed + " of " + limit + " failed: " + message);
          if (failed >= limit) {
            return new Result(rollBack(held, in.now(), "FailedAnalysis", message + "; " + failed
                + " consecutive failed checks"), true, true);
          }
          return new Result(held, true, true);
        }
        case WAIT, UNDECIDED -> { }
      }
    }
    return new Result(next, newWindow, false);
  }

  private static RolloutState advance(Rollout rollout, RolloutState s, Inputs in) {
    List<Integer> steps = rollout.effectiveSteps();
    boolean last = s.step() >= steps.size();
    int weight = last ? 100 : steps.get(s.step());
    String refused = in.preStep().apply(weight);
    if (refused != null) {
      int failed = s.failedChecks() + 1;
      int limit = rollout.effectiveAnalysis().failureLimit();
      RolloutState held = s.counting(failed, 0).event(in.now(), "CheckFailed", "check " + failed + " of " + limit
          + " failed: a pre-step webhook refused the canary at " + weight + " %: " + refused);
      return failed >= limit ? rollBack(held, in.now(), "WebhookRefused", refused) : held;
    }
    if (last) {
      RolloutState promoted = s.with(RolloutPhase.Promoted, s.step(), 100, in.now(), null, 0, 0, "Succeeded",
          "the canary passed all " + steps.size() + " steps");
      return promoted.event(in.now(), "Promoted", "canary " + rollout.canary() + " passed all " + steps.size()
          + " steps and now takes all the traffic");
    }
    RolloutState next = s.with(RolloutPhase.Progressing, s.step() + 1, weight, in.now(), null, 0, 0, "StepPublished", null);
    return next.event(in.now(), "StepPublished", "step " + next.step() + " of " + steps.size() + ": canary "
        + rollout.canary() + " at " + weight + " %, waiting for every proxy to run it");
  }

  static RolloutState rollBack(RolloutState s, Instant now, String reason, String message) {
    return s.with(RolloutPhase.RolledBack, s.step(), 0, now, null, s.failedChecks(), 0, reason, message)
        .event(now, "RolledBack", message);
  }

  /** A user holds the rollout at its current weights. */
  static RolloutState pause(RolloutState s, Instant now) {
    require(s, "pause", RolloutPhase.Progressing);
    return s.with(RolloutPhase.Paused, s.step(), s.canaryWeight(), s.stepPublishedAt(), s.stepStartedAt(),
        s.failedChecks(), s.passedChecks(), "PausedByUser", null).event(now, "Paused", "paused by a user");
  }

  /**
   * A user resumes a paused rollout (its step runs again from the start of its interval) or restarts
   * a rolled-back one from its first step.
   */
  static RolloutState resume(Rollout rollout, RolloutState s, Instant now) {
    require(s, "resume", RolloutPhase.Paused, RolloutPhase.RolledBack);
    if (s.phase() == RolloutPhase.RolledBack) {
      RolloutState again = start(rollout, s.rolloutHash(), s.generation(), now);
      List<RolloutEvent> history = new java.util.ArrayList<>(s.history());
      history.addAll(again.history());
      return new RolloutState(again.rolloutHash(), again.generation(), again.phase(), again.step(), again.canaryWeight(),
          again.stepPublishedAt(), null, 0, 0, "Restarted", null, history);
    }
    return s.with(RolloutPhase.Progressing, s.step(), s.canaryWeight(), now, null, 0, 0, "Resumed", null)
        .event(now, "Resumed", "resumed by a user at step " + s.step());
  }

  /** A user promotes the canary now, skipping the steps left. */
  static RolloutState promote(RolloutState s, Instant now) {
    require(s, "promote", RolloutPhase.Progressing, RolloutPhase.Paused);
    return s.with(RolloutPhase.Promoted, s.step(), 100, now, null, 0, 0, "PromotedByUser", "promoted by a user")
        .event(now, "Promoted", "promoted by a user");
  }

  /** A user rolls the canary back now. */
  static RolloutState abort(RolloutState s, Instant now) {
    require(s, "abort", RolloutPhase.Progressing, RolloutPhase.Paused, RolloutPhase.Promoted);
    return rollBack(s, now, "Aborted", "aborted by a user");
  }

  private static void require(RolloutState s, String action, RolloutPhase... allowed) {
    for (RolloutPhase p : allowed) {
      if (s.phase() == p) {
        return;
      }
    }
    throw new IllegalStateException("cannot " + action + " a rollout that is " + s.phase() + "; allowed when "
        + java.util.Arrays.toString(allowed));
  }
}
