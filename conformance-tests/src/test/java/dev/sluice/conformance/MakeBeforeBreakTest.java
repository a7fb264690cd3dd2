package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Under steady load from grpc-java's xDS client, moving a route between versions and deleting the
 * old one fails no request: clusters go out before the routes that use them, and leave after the
 * routes that used them have moved.
 */
class MakeBeforeBreakTest {
  private static final Logger log = LoggerFactory.getLogger(MakeBeforeBreakTest.class);
  static final String ROUTE = "/api/v1/namespaces/ml/modelroutes/mbb";

  @TempDir Path store;

  /** A version on one of two backends; versions alternate so each cycle changes servers too. */
  record Version(String name, String endpoint, int weight) {
    String json() {
      return "{\"name\": \"%s\", \"weight\": %d, \"endpoints\": [\"%s\"]}".formatted(name, weight, endpoint);
    }
  }

  static String route(List<Version> versions) {
    return """
        {"spec": {"hosts": ["mbb.ml"], "port": 8080, "protocol": "GRPC", "versions": [%s]}}
        """.formatted(String.join(", ", versions.stream().map(Version::json).toList()));
  }

  @Test
  void twentyCyclesOfMoveThenDelete_andTwentyReplacementsInOneWrite_failNoRequest() throws Exception {
    try (ControlPlane cp = ControlPlane.start(store);
        TaggedBackend a = new TaggedBackend("a");
        TaggedBackend b = new TaggedBackend("b")) {
      String[] servers = {a.endpoint(), b.endpoint()};
      assertThat(cp.put(ROUTE, "application/json", route(List.of(new Version("v0", servers[0], 100)))).status()).isEqualTo(201);
      try (ProxylessClient client = new ProxylessClient(cp.grpcBootstrap("mbb-client"), "mbb.ml")) {
        assertThat(client.call()).isEqualTo("a");
        Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread load = new Thread(() -> {
          while (running.get()) {
            outcomes.computeIfAbsent(client.callOrError(), k -> new AtomicLong()).incrementAndGet();
          }
        }, "mbb-load");
        load.start();
        try {
          int next = 1;
          // "Move the route from version X to Y, then delete X", twenty times.
          for (int cycle = 0; cycle < 20; cycle++, next++) {
            String x = "v" + (next - 1);
            String y = "v" + next;
            String xServer = servers[(next - 1) % 2];
            String yServer = servers[next % 2];
            write(cp, route(List.of(new Version(x, xServer, 100), new Version(y, yServer, 0))));
            write(cp, route(List.of(new Version(x, xServer, 0), new Version(y, yServer, 100))));
            write(cp, route(List.of(new Version(y, yServer, 100))));
          }
          // Twenty replacements in one write each: the new cluster in, the route moved, the old
          // cluster out, all from one document.
          for (int i = 0; i < 20; i++, next++) {
            write(cp, route(List.of(new Version("v" + next, servers[next % 2], 100))));
          }
          Thread.sleep(500);
        } finally {
          running.set(false);
          load.join();
        }
        long total = outcomes.values().stream().mapToLong(AtomicLong::get).sum();
        log.info("RPCs during 60 writes: {} ({})", total, outcomes);
        assertThat(outcomes.keySet()).as("outcomes of %d RPCs", total).allMatch(k -> !k.startsWith("error:"));
        assertThat(total).isGreaterThan(500);
        assertThat(outcomes).containsKeys("a", "b");
      }
    }
  }

  private static void write(ControlPlane cp, String body) throws InterruptedException {
    assertThat(cp.put(ROUTE, "application/json", body).status()).isEqualTo(200);
    Thread.sleep(250); // past the debounce, so each write is its own publication
  }
}
