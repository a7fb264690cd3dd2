package dev.sluice.controlplane.rollout;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/** Runs {@link Rollouts#tick} on the given scheduler, every {@code tick}, once the application runs. */
final class RolloutTicker implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(RolloutTicker.class);

  private final Rollouts rollouts;
  private final ScheduledExecutorService scheduler;
  private final Duration tick;
  private volatile ScheduledFuture<?> task;

  RolloutTicker(Rollouts rollouts, ScheduledExecutorService scheduler, Duration tick) {
    this.rollouts = rollouts;
    this.scheduler = scheduler;
    this.tick = tick;
  }

  @Override
  public void start() {
    task = scheduler.scheduleWithFixedDelay(() -> {
      try {
        rollouts.tick();
      } catch (RuntimeException e) {
        log.error("rollouts: a tick failed; the next one tries again", e);
      }
    }, tick.toNanos(), tick.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void stop() {
    ScheduledFuture<?> t = task;
    if (t != null) {
      t.cancel(false);
    }
    task = null;
  }

  @Override
  public boolean isRunning() {
    return task != null;
  }
}
