package dev.sluice.conformance;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Steady traffic from a background thread, as a model's callers make it, while a rollout runs:
 * counts what answered and remembers when the first failure came back.
 */
final class RolloutTraffic implements AutoCloseable {
  /** One request; returns the tag of the version that answered, or "error:..." when it failed. */
  @FunctionalInterface
  interface Call {
    String call() throws Exception;
  }

  private final Thread thread;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final java.util.Map<String, AtomicLong> byTag = new java.util.concurrent.ConcurrentHashMap<>();
  private final AtomicReference<Instant> firstFailure = new AtomicReference<>();
  private volatile boolean running = true;

  RolloutTraffic(String name, Call call, long pauseMillis) {
    thread = new Thread(() -> {
      while (running) {
        String tag;
        try {
          tag = call.call();
        } catch (Exception e) {
          tag = "error:" + e.getClass().getSimpleName();
        }
        sent.incrementAndGet();
        if (tag.startsWith("error:")) {
          failed.incrementAndGet();
          firstFailure.compareAndSet(null, Instant.now());
        }
        byTag.computeIfAbsent(tag, t -> new AtomicLong()).incrementAndGet();
        try {
          Thread.sleep(pauseMillis);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "traffic-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  long sent() {
    return sent.get();
  }

  long answeredBy(String tag) {
    AtomicLong n = byTag.get(tag);
    return n == null ? 0 : n.get();
  }

  /** When the first failed request came back; null while none has. */
  Instant firstFailure() {
    return firstFailure.get();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(5000);
  }
}
