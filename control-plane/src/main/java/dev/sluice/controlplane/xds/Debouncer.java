package dev.sluice.controlplane.xds;

/**
 * When to publish after a burst of changes: {@code quiet} after the latest change, but never later
 * than {@code maxDelay} after the first unpublished one. Pure arithmetic on nanosecond timestamps.
 *
 * <p>Not thread-safe: owned by the publisher, which calls it under its own lock.
 */
final class Debouncer {
  private final long quietNanos;
  private final long maxDelayNanos;
  private long firstPending = Long.MIN_VALUE;

  Debouncer(java.time.Duration quiet, java.time.Duration maxDelay) {
    this.quietNanos = quiet.toNanos();
    this.maxDelayNanos = maxDelay.toNanos();
  }

  /** A change happened at {@code now}; returns the time at which to publish. */
  long onChange(long now) {
    if (firstPending == Long.MIN_VALUE) {
      firstPending = now;
    }
    return Math.min(now + quietNanos, firstPending + maxDelayNanos);
  }

  /** The publication started: later changes begin a new burst. */
  void onPublish() {
    firstPending = Long.MIN_VALUE;
  }
}
