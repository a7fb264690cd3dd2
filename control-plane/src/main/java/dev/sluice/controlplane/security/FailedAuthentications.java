package dev.sluice.controlplane.security;

import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Failed authentications per source address in a fixed window: after {@code limit} failures, the
 * address is refused (429) until its window ends. At most {@link #MAX_ADDRESSES} addresses are
 * tracked; the oldest window is dropped first, so a flood of addresses cannot exhaust memory.
 * Thread-safe (synchronized; the work per call is small).
 */
final class FailedAuthentications {
  static final int MAX_ADDRESSES = 10_000;

  private record Window(Instant start, int failures) {}

  private final int limit;
  private final java.time.Duration window;
  private final Clock clock;
  private final LinkedHashMap<String, Window> windows = new LinkedHashMap<>();

  FailedAuthentications(int limit, java.time.Duration window, Clock clock) {
    this.limit = limit;
    this.window = window;
    this.clock = clock;
  }

  /** Seconds until {@code address} may try again, or 0 when it may now. */
  synchronized long blockedForSeconds(String address) {
    Window w = current(address);
    if (w == null || w.failures() < limit) {
      return 0;
    }
    long left = java.time.Duration.between(clock.instant(), w.start().plus(window)).toSeconds();
    return Math.max(1, left);
  }

  synchronized void failed(String address) {
    Window w = current(address);
    windows.remove(address);
    windows.put(address, w == null ? new Window(clock.instant(), 1) : new Window(w.start(), w.failures() + 1));
    if (windows.size() > MAX_ADDRESSES) {
      Iterator<Map.Entry<String, Window>> oldest = windows.entrySet().iterator();
      oldest.next();
      oldest.remove();
    }
  }

  private Window current(String address) {
    Window w = windows.get(address);
    if (w != null && !clock.instant().isBefore(w.start().plus(window))) {
      windows.remove(address);
      return null;
    }
    return w;
  }
}
