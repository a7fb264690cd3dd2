package dev.sluice.controlplane.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.model.Rollout;
import dev.sluice.model.RolloutAnalysis;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rollout's rules on a fixed clock: steps wait for the proxies, checks decide, rollbacks happen at once. */
class RolloutEngineTest {
  static final Instant T0 = Instant.parse("2026-12-03T12:00:00Z");
  static final Rollout ROLLOUT = new Rollout("v2", List.of(5, 25, 50), null, null, "30s",
      new RolloutAnalysis(null, null, 100, 2, null), null);
  static final RolloutEngine.Proxies ALL_RUN = new RolloutEngine.Proxies(true, null);
  static final RolloutEngine.Proxies PENDING = new RolloutEngine.Proxies(false, null);
  /** The step's own numbers, healthy unless a test says otherwise. */
  static final Numbers STEP = new Numbers(500, 0, null);

  private static RolloutEngine.Result tick(RolloutState s, Duration after, RolloutEngine.Proxies proxies, Numbers canary) {
    return RolloutEngine.tick(ROLLOUT, s, new RolloutEngine.Inputs(T0.plus(after), proxies, canary, STEP, w -> null));
  }

  private static RolloutState started() {
    RolloutState s = RolloutEngine.start(ROLLOUT, "h", 1, T0);
    return tick(s, Duration.ofSeconds(1), ALL_RUN, Numbers.NONE).state();
  }

  @Test
  void firstStep_goesOutAtOnce_andStartsOnlyWhenEveryProxyRunsIt() {
    RolloutState s = RolloutEngine.start(ROLLOUT, "h", 1, T0);
    assertThat(s.phase()).isEqualTo(RolloutPhase.Progressing);
    assertThat(s.step()).isEqualTo(1);
    assertThat(s.canaryWeight()).isEqualTo(5);
    assertThat(s.stepStartedAt()).isNull();

    RolloutState waiting = tick(s, Duration.ofSeconds(5), PENDING, new Numbers(1000, 0, null)).state();
    assertThat(waiting).isEqualTo(s);

    RolloutEngine.Result running = tick(s, Duration.ofSeconds(6), ALL_RUN, Numbers.NONE);
    assertThat(running.state().stepStartedAt()).isEqualTo(T0.plusSeconds(6));
    assertThat(running.newWindow()).isTrue();
    assertThat(running.state().history()).extracting(RolloutEvent::event).containsExactly("StepPublished", "StepStarted");
  }

  @Test
  void stepAdvances_onlyAfterItsInterval_andAPassedCheck() {
    RolloutState s = started();
    RolloutEngine.Result passed = tick(s, Duration.ofSeconds(10), ALL_RUN, new Numbers(100, 0, null));
    assertThat(passed.state().passedChecks()).isEqualTo(1);
    assertThat(passed.state().step()).isEqualTo(1);

    RolloutEngine.Result early = tick(passed.state(), Duration.ofSeconds(30), ALL_RUN, new Numbers(10, 0, null));
    assertThat(early.state().step()).as("the interval counts from the ack at 1s").isEqualTo(1);

    RolloutState next = tick(passed.state(), Duration.ofSeconds(31), ALL_RUN, new Numbers(10, 0, null)).state();
    assertThat(next.step()).isEqualTo(2);
    assertThat(next.canaryWeight()).isEqualTo(25);
    assertThat(next.stepStartedAt()).isNull();
  }

  @Test
  void tooFewRequests_meanWait_neverPass() {
    RolloutState s = started();
    RolloutState after = tick(s, Duration.ofMinutes(10), ALL_RUN, new Numbers(99, 0, null)).state();

    assertThat(after.step()).isEqualTo(1);
    assertThat(after.passedChecks()).isZero();
    assertThat(after.phase()).isEqualTo(RolloutPhase.Progressing);
  }

  @Test
  void failureLimitConsecutiveFailedChecks_rollBack_withTheNumbers() {
    RolloutState s = started();
    RolloutEngine.Result first = tick(s, Duration.ofSeconds(5), ALL_RUN, new Numbers(100, 20, null));
    assertThat(first.state().phase()).isEqualTo(RolloutPhase.Progressing);
    assertThat(first.state().failedChecks()).isEqualTo(1);
    assertThat(first.newWindow()).as("each check judges fresh requests").isTrue();

    RolloutState second = tick(first.state(), Duration.ofSeconds(9), ALL_RUN, new Numbers(100, 20, null)).state();
    assertThat(second.phase()).isEqualTo(RolloutPhase.RolledBack);
    assertThat(second.canaryWeight()).isZero();
    assertThat(second.reason()).isEqualTo("FailedAnalysis");
    assertThat(second.message()).contains("80.00 %", "100 requests", "20 failed", "minimum 99 %", "2 consecutive");
  }

  @Test
  void aPassedCheck_resetsTheFailureCount() {
    RolloutState s = started();
    RolloutState failed = tick(s, Duration.ofSeconds(5), ALL_RUN, new Numbers(100, 20, null)).state();
    RolloutState passed = tick(failed, Duration.ofSeconds(8), ALL_RUN, new Numbers(100, 0, null)).state();
    RolloutState failedAgain = tick(passed, Duration.ofSeconds(12), ALL_RUN, new Numbers(100, 20, null)).state();

    assertThat(failedAgain.phase()).isEqualTo(RolloutPhase.Progressing);
    assertThat(failedAgain.failedChecks()).isEqualTo(1);
  }

  @Test
  void atTheEndOfTheInterval_theWholeStepIsJudged_soALuckyWindowDoesNotAdvanceABadCanary() {
    RolloutState s = started();
    RolloutState lucky = tick(s, Duration.ofSeconds(10), ALL_RUN, new Numbers(100, 0, null)).state();
    assertThat(lucky.passedChecks()).isEqualTo(1);

    RolloutEngine.Result undecided = RolloutEngine.tick(ROLLOUT, lucky, new RolloutEngine.Inputs(T0.plusSeconds(31),
        ALL_RUN, Numbers.NONE, new Numbers(300, 4, null), w -> null));
    assertThat(undecided.state().step()).as("98.7 %% over the step: not surely bad, not good").isEqualTo(1);

    RolloutEngine.Result failed = RolloutEngine.tick(ROLLOUT, lucky, new RolloutEngine.Inputs(T0.plusSeconds(31),
        ALL_RUN, Numbers.NONE, new Numbers(600, 30, null), w -> null));
    assertThat(failed.state().step()).isEqualTo(1);
    assertThat(failed.state().failedChecks()).isEqualTo(1);
    assertThat(failed.newStepWindow()).isTrue();
    assertThat(failed.state().history().get(failed.state().history().size() - 1).message())
        .contains("step 1 as a whole", "600 requests");
  }

  @Test
  void aProxyRejectingTheStep_rollsBackAtOnce() {
    RolloutState s = RolloutEngine.start(ROLLOUT, "h", 1, T0);
    RolloutState after = tick(s, Duration.ofSeconds(1), new RolloutEngine.Proxies(false, "proxy gw-1 rejected RDS"),
        Numbers.NONE).state();

    assertThat(after.phase()).isEqualTo(RolloutPhase.RolledBack);
    assertThat(after.reason()).isEqualTo("Rejected");
    assertThat(after.message()).contains("step 1", "proxy gw-1 rejected RDS");
  }

  @Test
  void lastStepPassed_promotesToAHundred() {
    RolloutState s = started();
    for (int step = 1; step <= 3; step++) {
      s = tick(s, Duration.ofMinutes(step * 2L), ALL_RUN, Numbers.NONE).state(); // acked
      s = tick(s, Duration.ofMinutes(step * 2L).plusSeconds(5), ALL_RUN, new Numbers(500, 1, null)).state();
      s = tick(s, Duration.ofMinutes(step * 2L + 1), ALL_RUN, Numbers.NONE).state();
    }
    assertThat(s.phase()).isEqualTo(RolloutPhase.Promoted);
    assertThat(s.canaryWeight()).isEqualTo(100);
    assertThat(s.history()).extracting(RolloutEvent::event).endsWith("Promoted");
  }

  @Test
  void preStepWebhookRefusal_countsAsAFailedCheck() {
    RolloutState s = started();
    s = tick(s, Duration.ofSeconds(5), ALL_RUN, new Numbers(100, 0, null)).state();
    RolloutState held = RolloutEngine.tick(ROLLOUT, s, new RolloutEngine.Inputs(T0.plusSeconds(40), ALL_RUN,
        Numbers.NONE, STEP, w -> "webhook gate answered 503")).state();

    assertThat(held.step()).isEqualTo(1);
    assertThat(held.failedChecks()).isEqualTo(1);
    assertThat(held.history().get(held.history().size() - 1).message()).contains("webhook gate answered 503");
  }

  @Test
  void usersActions_followThePhases() {
    RolloutState s = started();
    RolloutState paused = RolloutEngine.pause(s, T0.plusSeconds(2));
    assertThat(paused.phase()).isEqualTo(RolloutPhase.Paused);
    assertThat(tick(paused, Duration.ofMinutes(5), ALL_RUN, new Numbers(1000, 900, null)).state()).isEqualTo(paused);

    RolloutState resumed = RolloutEngine.resume(ROLLOUT, paused, T0.plusSeconds(3));
    assertThat(resumed.phase()).isEqualTo(RolloutPhase.Progressing);
    assertThat(resumed.stepStartedAt()).as("the step runs its interval again").isNull();

    RolloutState aborted = RolloutEngine.abort(resumed, T0.plusSeconds(4));
    assertThat(aborted.phase()).isEqualTo(RolloutPhase.RolledBack);
    assertThat(aborted.reason()).isEqualTo("Aborted");
    assertThatThrownBy(() -> RolloutEngine.pause(aborted, T0)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("RolledBack");

    RolloutState restarted = RolloutEngine.resume(ROLLOUT, aborted, T0.plusSeconds(5));
    assertThat(restarted.step()).isEqualTo(1);
    assertThat(restarted.canaryWeight()).isEqualTo(5);
    assertThat(RolloutEngine.promote(restarted, T0.plusSeconds(6)).canaryWeight()).isEqualTo(100);
  }
}
