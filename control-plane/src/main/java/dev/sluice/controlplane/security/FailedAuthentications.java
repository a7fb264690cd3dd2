package dev.sluice.controlplane.security;

import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Failed authentications per source address in a fixed window: after {@code limit} failures, the
 * address is refused (429) until its window ends. IPv6 addresses count per /64, the block one host
 * usually holds. At most {@link #MAX_ADDRESSES} are tracked: when full, windows that have ended go
 * first, then the least recently failing address that is not blocked, so a flood of addresses can
 * neither exhaust memory nor free a blocked one (unless every tracked address is blocked).
 * Thread-safe (synchronized).
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
    Window w = current(key(address));
    if (w == null || w.failures() < limit) {
      return 0;
    }
    long left = java.time.Duration.between(clock.instant(), w.start().plus(window)).toSeconds();
    return Math.max(1, left);
  }

  synchronized void failed(String address) {
    String key = key(address);
    Window w = current(key);
    windows.remove(key);
    windows.put(key, w == null ? new Window(clock.instant(), 1) : new Window(w.start(), w.failures() + 1));
    if (windows.size() > MAX_ADDRESSES) {
      windows.values().removeIf(e -> !clock.instant().isBefore(e.start().plus(window)));
    }
    if (windows.size() > MAX_ADDRESSES) {
      // The least recently failing address that is not blocked; only when all are, the least recent.
      Iterator<Map.Entry<String, Window>> it = windows.entrySet().iterator();
      boolean dropped = false;
      while (it.hasNext() && !dropped) {
        if (it.next().getValue().failures() < limit) {
          it.remove();
          dropped = true;
        }
      }
      if (!dropped) {
        Iterator<Map.Entry<String, Window>> oldest = windows.entrySet().iterator();
        oldest.next();
        oldest.remove();
      }
    }
  }

  /** IPv4 as it is; IPv6 by its /64 (the first four groups). */
  static String key(String address) {
    if (!address.contains(":")) {
      return address;
    }
    try {
      byte[] bytes = java.net.InetAddress.getByName(address).getAddress();
      return bytes.length == 16 ? java.util.HexFormat.of().formatHex(bytes, 0, 8) + "::/64" : address;
    } catch (java.net.UnknownHostException e) {
      return address;
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
