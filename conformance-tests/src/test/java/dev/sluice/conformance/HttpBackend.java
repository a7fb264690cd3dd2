package dev.sluice.conformance;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP server on 127.0.0.1 that answers any path with its tag, optionally slowly or failing, and
 * remembers the {@code x-request-id} of every request it got.
 */
final class HttpBackend implements AutoCloseable {
  private final HttpServer server;
  private final AtomicLong requests = new AtomicLong();
  private final Set<String> requestIds = ConcurrentHashMap.newKeySet();
  private volatile int status = 200;
  private volatile long holdMillis;
  private volatile double failureRate;
  private final java.util.Random random = new java.util.Random(42);

  HttpBackend(String tag) {
    this(tag, "127.0.0.1");
  }

  /** A backend on {@code host} (an address of this machine), for endpoints that must not be loopback. */
  HttpBackend(String tag, String host) {
    try {
      server = HttpServer.create(new InetSocketAddress(host, 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] body = tag.getBytes(StandardCharsets.UTF_8);
    server.createContext("/", exchange -> {
      requests.incrementAndGet();
      String requestId = exchange.getRequestHeaders().getFirst("x-request-id");
      if (requestId != null) {
        requestIds.add(requestId);
      }
      sleep(holdMillis);
      exchange.getResponseHeaders().set("Content-Type", "text/plain");
      exchange.sendResponseHeaders(shouldFail() ? 503 : status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.setExecutor(Executors.newFixedThreadPool(16));
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  String endpoint() {
    return "127.0.0.1:" + port();
  }

  /** The address it listens on, as an EndpointSlice lists it. */
  String host() {
    return com.google.common.net.InetAddresses.toAddrString(server.getAddress().getAddress()).replaceAll("%.*", "");
  }

  long requests() {
    return requests.get();
  }

  /** The {@code x-request-id} values of the requests received so far. */
  Set<String> requestIds() {
    return Set.copyOf(requestIds);
  }

  /** Answer every request with this status from now on. */
  void status(int newStatus) {
    this.status = newStatus;
  }

  /** Answer this share of requests (0 to 1) with 503, the rest with the status. */
  void failureRate(double rate) {
    this.failureRate = rate;
  }

  private boolean shouldFail() {
    synchronized (random) {
      return random.nextDouble() < failureRate;
    }
  }

  /** Hold every request this long before answering (a saturated model server). */
  void hold(long millis) {
    this.holdMillis = millis;
  }

  private static void sleep(long millis) {
    if (millis > 0) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
