package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Real HTTP traffic through one real Envoy gateway, configured only by what Sluice pushes over ADS:
 * the weighted split, and the policies only Envoy implements: mirroring, cookie stickiness,
 * the sticky weighted choice by header (use_hash_policy), circuit breaking, per-try timeouts and
 * the retry budget; and what operators read: per-version stats, the JSON access log, request ids.
 * Skipped, with the reason, where no Envoy is found (an error on CI): see {@link EnvoyRuntime}.
 */
class EnvoyGatewayTest {
  private static final Logger log = LoggerFactory.getLogger(EnvoyGatewayTest.class);
  static final String ROUTES = "/api/v1/namespaces/ml/modelroutes/";

  @RegisterExtension static final EnvoySuite suite = EnvoySuite.gateway("envoy-gateway-1");

  private static ControlPlane cp() {
    return suite.cp();
  }

  private static EnvoyGateway envoy() {
    return suite.envoy();
  }

  private static void put(String name, String json) throws InterruptedException {
    suite.putRoute(name, json);
  }

  @Test
  @DisplayName("90/10 split over 2,000 requests")
  void realEnvoyGateway_splitsNinetyTenWithinBinomialBound() throws Exception {
    try (HttpBackend v1 = new HttpBackend("v1"); HttpBackend v2 = new HttpBackend("v2")) {
      put("split", """
          {"spec": {"hosts": ["split.ml"], "port": 8080,
            "versions": [{"name": "v1", "weight": 90, "endpoints": ["%s"]},
                         {"name": "v2", "weight": 10, "endpoints": ["%s"]}]}}
          """.formatted(v1.endpoint(), v2.endpoint()));
      int n = 2000;
      int onV1 = 0;
      for (int i = 0; i < n; i++) {
        EnvoyGateway.Reply r = envoy().get("split.ml");
        assertThat(r.status()).as("status of request %d", i).isEqualTo(200);
        switch (r.body()) {
          case "v1" -> onV1++;
          case "v2" -> { }
          default -> fail("request %d answered by neither version: '%s'", i, r.body());
        }
      }
      log.info("Envoy 90/10 split over {} requests: v1 {} v2 {}", n, onV1, n - onV1);
      Binomial.assertWithin("requests on v1", onV1, n, 0.9);
    }
  }

  /**
   * Envoy, unlike grpc-java, answers 503 (NC) for a route whose cluster it does not have. Twenty
   * replacements of a route's only version, each in one write, under steady load: the new cluster
   * arrives before the route that uses it, the old one leaves after the route moved, and no
   * request fails.
   */
  @Test
  @DisplayName("make before break: 20 version replacements under load")
  void replacingARoutesVersionTwentyTimesUnderLoad_failsNoRequest() throws Exception {
    try (HttpBackend a = new HttpBackend("a"); HttpBackend b = new HttpBackend("b")) {
      String[] servers = {a.endpoint(), b.endpoint()};
      String doc = """
          {"spec": {"hosts": ["moving.ml"], "port": 8080,
            "versions": [{"name": "v%d", "weight": 100, "endpoints": ["%s"]}]}}
          """;
      put("moving", doc.formatted(0, servers[0]));
      java.util.Map<Integer, Long> statuses = new java.util.concurrent.ConcurrentHashMap<>();
      java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
      Thread load = new Thread(() -> {
        while (running.get()) {
          int status;
          try {
            status = envoy().get("moving.ml").status();
          } catch (java.io.IOException e) {
            status = -1;
          }
          statuses.merge(status, 1L, Long::sum);
        }
      }, "envoy-load");
      load.start();
      try {
        for (int i = 1; i <= 20; i++) {
          ControlPlane.Response r = cp().put(ROUTES + "moving", "application/json", doc.formatted(i, servers[i % 2]));
          assertThat(r.status()).isEqualTo(200);
          Thread.sleep(300);
        }
      } finally {
        running.set(false);
        load.join();
      }
      log.info("Envoy under 20 version replacements: statuses {}", statuses);
      assertThat(statuses.keySet()).as("statuses seen: %s", statuses).containsOnly(200);
    }
  }

  @Test
  @DisplayName("mirror 25 %")
  void mirror_copiesAboutThePercentToTheShadow_andCallersSeeOnlyPrimaryAnswers() throws Exception {
    try (HttpBackend primary = new HttpBackend("primary"); HttpBackend shadow = new HttpBackend("shadow")) {
      put("mirror", """
          {"spec": {"hosts": ["mirror.ml"], "port": 8080,
            "versions": [{"name": "v2", "weight": 100, "endpoints": ["%s"]},
                         {"name": "v3", "weight": 0, "endpoints": ["%s"]}],
            "mirror": {"version": "v3", "percent": 25}}}
          """.formatted(primary.endpoint(), shadow.endpoint()));
      long shadowBefore = shadow.requests();
      int n = 2000;
      for (int i = 0; i < n; i++) {
        EnvoyGateway.Reply r = envoy().get("mirror.ml");
        assertThat(r.body()).as("request %d", i).isEqualTo("primary");
      }
      Thread.sleep(500); // mirrored requests are fire-and-forget
      long mirrored = shadow.requests() - shadowBefore;
      log.info("mirror 25 % over {} requests: shadow saw {}", n, mirrored);
      Binomial.assertWithin("requests mirrored", mirrored, n, 0.25);
    }
  }

  @Test
  @DisplayName("sticky cookie")
  void stickyCookie_isSetOnTheFirstResponse_andPinsTheVersion() throws Exception {
    try (HttpBackend v1 = new HttpBackend("v1"); HttpBackend v2 = new HttpBackend("v2")) {
      put("cookie", """
          {"spec": {"hosts": ["cookie.ml"], "port": 8080,
            "versions": [{"name": "v1", "weight": 50, "endpoints": ["%s"]},
                         {"name": "v2", "weight": 50, "endpoints": ["%s"]}],
            "sticky": {"cookie": {"name": "sluice-variant", "ttl": "1h"}}}}
          """.formatted(v1.endpoint(), v2.endpoint()));
      int users = 400;
      int onV2 = 0;
      for (int user = 0; user < users; user++) {
        EnvoyGateway.Reply first = envoy().get("cookie.ml");
        String setCookie = first.headers().get("set-cookie");
        assertThat(setCookie).as("user %d's first response", user).startsWith("sluice-variant=").containsIgnoringCase("Max-Age=3600");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String version = envoy().get("cookie.ml", Map.of("cookie", cookie)).body();
        for (int i = 0; i < 20; i++) {
          assertThat(envoy().get("cookie.ml", Map.of("cookie", cookie)).body()).isEqualTo(version);
        }
        onV2 += version.equals("v2") ? 1 : 0;
      }
      log.info("cookie stickiness: {} of {} users pinned to v2", onV2, users);
      Binomial.assertWithin("users on v2", onV2, users, 0.5);
    }
  }

  @Test
  @DisplayName("sticky header (use_hash_policy)")
  void stickyHeader_sameUserSameVersion_sharesFollowTheWeights() throws Exception {
    try (HttpBackend v1 = new HttpBackend("v1"); HttpBackend v2 = new HttpBackend("v2")) {
      put("sticky", """
          {"spec": {"hosts": ["sticky.ml"], "port": 8080,
            "versions": [{"name": "v1", "weight": 80, "endpoints": ["%s"]},
                         {"name": "v2", "weight": 20, "endpoints": ["%s"]}],
            "sticky": {"header": "x-user-id"}}}
          """.formatted(v1.endpoint(), v2.endpoint()));
      Map<String, String> first = new HashMap<>();
      for (int round = 0; round < 3; round++) {
        for (int user = 0; user < 500; user++) {
          String version = envoy().get("sticky.ml", Map.of("x-user-id", "user-" + user)).body();
          assertThat(first.putIfAbsent("user-" + user, version) == null || first.get("user-" + user).equals(version))
              .as("user-%d keeps %s", user, first.get("user-" + user)).isTrue();
        }
      }
      long onV2 = first.values().stream().filter("v2"::equals).count();
      log.info("sticky header: {} of 500 users on v2", onV2);
      Binomial.assertWithin("users on v2", onV2, 500, 0.2);
    }
  }

  @Test
  @DisplayName("circuit breaker maxRequests")
  void circuitBreaker_maxRequestsAnswers503ForTheExcess() throws Exception {
    try (HttpBackend v1 = new HttpBackend("v1")) {
      put("breaker", """
          {"spec": {"hosts": ["breaker.ml"], "port": 8080,
            "versions": [{"name": "v1", "weight": 100, "endpoints": ["%s"]}],
            "circuitBreaker": {"maxRequests": 2, "maxPendingRequests": 1}}}
          """.formatted(v1.endpoint()));
      v1.hold(1000);
      Map<Integer, Integer> statuses = concurrently(10, () -> envoy().get("breaker.ml").status());
      log.info("10 concurrent requests against maxRequests 2: {}", statuses);
      assertThat(statuses.getOrDefault(503, 0)).isGreaterThanOrEqualTo(6);
      // Each 503 is Envoy's circuit breaker, flagged UO (upstream overflow) in the access log. Not
      // upstream_rq_pending_overflow: on Envoy 1.40.0 that counter stayed 0 in two CI runs out of
      // several (even polled for 10 s) while the access log showed eight UO answers; why is not
      // known.
      int refused = statuses.getOrDefault(503, 0);
      long overflowed = await(Duration.ofSeconds(15), () -> {
        long flagged = envoy().accessLog().stream()
            .filter(l -> "breaker.ml".equals(l.path("authority").asString(null))
                && "UO".equals(l.path("response_flags").asString(null)))
            .count();
        return flagged >= refused ? flagged : null;
      });
      suite.detail(statuses + ", " + overflowed + " flagged UO in the access log");
    }
  }

  @Test
  @DisplayName("retry budget")
  void retryBudget_capsRetriesToAShareOfActiveRequests() throws Exception {
    try (HttpBackend v1 = new HttpBackend("v1")) {
      put("budget", """
          {"spec": {"hosts": ["budget.ml"], "port": 8080,
            "versions": [{"name": "v1", "weight": 100, "endpoints": ["%s"]}],
            "retries": {"attempts": 3, "on": ["5xx"], "budget": {"percent": 10, "minConcurrency": 1}}}}
          """.formatted(v1.endpoint()));
      v1.status(503);
      v1.hold(300);
      concurrently(20, () -> envoy().get("budget.ml").status());
      // Polled, as for the circuit breaker: /stats once read 0 right after the requests it counts.
      String overflowStat = "cluster.ml|budget|v1.upstream_rq_retry_overflow";
      long overflow = await(Duration.ofSeconds(10), () -> envoy().stat(overflowStat) > 0 ? envoy().stat(overflowStat) : null);
      long retried = envoy().stat("cluster.ml|budget|v1.upstream_rq_retry");
      suite.detail(retried + " retries, " + overflow + " refused by the budget");
      log.info("retry budget 10 %% of 20 concurrent failing requests: {} retries, {} refused by the budget", retried, overflow);
      assertThat(overflow).isPositive();
      assertThat(retried).isLessThan(20 * 3);
    }
  }

  @Test
  @DisplayName("per-try timeout")
  void perTryTimeout_retriesASlowTry_andGivesUpAfterTheAttempts() throws Exception {
    try (HttpBackend v1 = new HttpBackend("v1")) {
      put("pertry", """
          {"spec": {"hosts": ["pertry.ml"], "port": 8080,
            "versions": [{"name": "v1", "weight": 100, "endpoints": ["%s"]}],
            "timeout": "5s",
            "retries": {"attempts": 2, "perTryTimeout": "200ms", "on": ["gateway-error"]}}}
          """.formatted(v1.endpoint()));
      v1.hold(1000);
      long before = v1.requests();
      long start = System.nanoTime();
      EnvoyGateway.Reply r = envoy().get("pertry.ml");
      long millis = (System.nanoTime() - start) / 1_000_000;
      log.info("per-try timeout 200 ms, 2 retries: HTTP {} after {} ms, {} tries", r.status(), millis, v1.requests() - before);
      assertThat(r.status()).isEqualTo(504);
      // Three 200 ms tries plus Envoy's jittered backoff (at most 25 + 75 ms): far below the 5 s
      // route timeout that would answer without per-try timeouts.
      assertThat(millis).isLessThan(2000);
      assertThat(v1.requests() - before).isEqualTo(3);
    }
  }

  @Test
  @DisplayName("per-version stats, JSON access log, request ids")
  void perVersionStatsAndJsonAccessLog_tellVersionsApart_andRequestIdsGoThrough() throws Exception {
    try (HttpBackend v1 = new HttpBackend("v1"); HttpBackend v2 = new HttpBackend("v2")) {
      put("observed", """
          {"spec": {"hosts": ["observed.ml"], "port": 8080,
            "versions": [{"name": "v1", "weight": 70, "endpoints": ["%s"]},
                         {"name": "v2", "weight": 30, "endpoints": ["%s"]}]}}
          """.formatted(v1.endpoint(), v2.endpoint()));
      v2.status(503); // the canary is broken: its error rate must show in its own stats only
      String c1 = "cluster.ml|observed|v1.";
      String c2 = "cluster.ml|observed|v2.";
      Map<String, Long> before = new HashMap<>();
      for (String stat : List.of(c1 + "upstream_rq_2xx", c1 + "upstream_rq_5xx", c1 + "upstream_rq_completed",
          c2 + "upstream_rq_2xx", c2 + "upstream_rq_5xx", c2 + "upstream_rq_completed")) {
        before.put(stat, envoy().stat(stat));
      }

      int n = 300;
      Map<Integer, Integer> statuses = new HashMap<>();
      Map<Integer, String> idOf = new HashMap<>();
      for (int i = 0; i < n; i++) {
        String id = UUID.randomUUID().toString();
        EnvoyGateway.Reply r = envoy().get("observed.ml", Map.of("x-request-id", id));
        assertThat(r.headers().get("x-request-id")).as("request %d's id, returned as sent", i).isEqualTo(id);
        statuses.merge(r.status(), 1, Integer::sum);
        idOf.putIfAbsent(r.status(), id);
      }
      int ok = statuses.getOrDefault(200, 0);
      int failed = statuses.getOrDefault(503, 0);
      log.info("70/30 split with a failing v2 over {} requests: {}", n, statuses);
      assertThat(ok + failed).isEqualTo(n);
      Binomial.assertWithin("requests on v2", failed, n, 0.3);
      assertThat(v1.requestIds()).as("the caller's id reaches the model server").contains(idOf.get(200));
      assertThat(v2.requestIds()).contains(idOf.get(503));

      // Per version: count, errors and completions, each from the version's own cluster.
      awaitDelta(before, c1 + "upstream_rq_2xx", ok);
      awaitDelta(before, c1 + "upstream_rq_5xx", 0);
      awaitDelta(before, c1 + "upstream_rq_completed", ok);
      awaitDelta(before, c2 + "upstream_rq_2xx", 0);
      awaitDelta(before, c2 + "upstream_rq_5xx", failed);
      awaitDelta(before, c2 + "upstream_rq_completed", failed);
      // Latency: a histogram per version, merged from the workers every stats flush (5 s).
      for (String cluster : List.of(c1, c2)) {
        String latency = await(Duration.ofSeconds(20), () -> {
          String text = envoy().statText(cluster + "upstream_rq_time");
          return text != null && text.contains("P99(") ? text : null;
        });
        log.info("{}upstream_rq_time: {}", cluster, latency);
      }
      // The same, as Prometheus scrapes it: the cluster name is a label, the code class another.
      String prometheus = envoy().prometheus();
      assertThat(prometheus.lines().filter(l -> l.startsWith("envoy_cluster_upstream_rq_xx{")
          && l.contains("envoy_response_code_class=\"5\"") && l.contains("envoy_cluster_name=\"ml|observed|v2\"")))
          .as("envoy_cluster_upstream_rq_xx for v2's 5xx in:%n%s", prometheus).hasSize(1);
      assertThat(prometheus).contains("envoy_cluster_upstream_rq_time_bucket{")
          .contains("envoy_cluster_name=\"ml|observed|v1\"");

      // A request no route matches: Envoy answers 404 itself and flags it NR.
      String unrouted = UUID.randomUUID().toString();
      assertThat(envoy().get("nobody.ml", Map.of("x-request-id", unrouted)).status()).isEqualTo(404);
      // Without an id from the caller, Envoy makes one, forwards it and returns it.
      EnvoyGateway.Reply anonymous = envoy().get("observed.ml");
      String made = anonymous.headers().get("x-request-id");
      assertThat(made).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
      assertThat(anonymous.status() == 200 ? v1.requestIds() : v2.requestIds()).contains(made);

      JsonNode toV1 = awaitLogLine(idOf.get(200));
      assertThat(toV1.get("route_name").asString()).isEqualTo("ml|observed|default");
      assertThat(toV1.get("upstream_cluster").asString()).isEqualTo("ml|observed|v1");
      assertThat(toV1.get("upstream_host").asString()).endsWith(v1.endpoint());
      assertThat(toV1.get("response_code").asInt()).isEqualTo(200);
      assertThat(toV1.get("response_code_details").asString()).isEqualTo("via_upstream");
      assertThat(toV1.get("authority").asString()).isEqualTo("observed.ml");
      assertThat(toV1.get("method").asString()).isEqualTo("GET");
      assertThat(toV1.get("path").asString()).isEqualTo("/");
      assertThat(toV1.has("response_flags")).isTrue();
      assertThat(toV1.get("duration_ms").isNumber()).isTrue();
      assertThat(toV1.get("bytes_sent").asInt()).isEqualTo(2);
      JsonNode toV2 = awaitLogLine(idOf.get(503));
      assertThat(toV2.get("upstream_cluster").asString()).isEqualTo("ml|observed|v2");
      assertThat(toV2.get("response_code").asInt()).isEqualTo(503);
      JsonNode noRoute = awaitLogLine(unrouted);
      assertThat(noRoute.get("response_code").asInt()).isEqualTo(404);
      assertThat(noRoute.get("response_flags").asString()).isEqualTo("NR");
      assertThat(absent(noRoute, "upstream_cluster")).as("no version served it: %s", noRoute).isTrue();
      assertThat(absent(noRoute, "route_name")).as("no route matched: %s", noRoute).isTrue();
      assertThat(awaitLogLine(made).get("route_name").asString()).isEqualTo("ml|observed|default");
      log.info("access log lines: {} / {} / {}", toV1, toV2, noRoute);
    }
  }

  private static void awaitDelta(Map<String, Long> before, String stat, long expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    long delta;
    do {
      delta = envoy().stat(stat) - before.get(stat);
      if (delta == expected) {
        return;
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    fail("%s grew by %d, expected %d", stat, delta, expected);
  }

  /** Envoy writes a value it does not have as JSON null (or "-" for some operators). */
  private static boolean absent(JsonNode line, String field) {
    JsonNode value = line.get(field);
    return value == null || value.isNull() || "-".equals(value.asString(null));
  }

  private static JsonNode awaitLogLine(String requestId) throws Exception {
    return await(Duration.ofSeconds(15), () -> envoy().accessLog().stream()
        .filter(line -> requestId.equals(line.path("request_id").asString(null)))
        .findFirst().orElse(null));
  }

  private interface Probe<T> {
    T get() throws Exception;
  }

  /** Polls until the probe answers non-null, or fails with Envoy's log after the timeout. */
  private static <T> T await(Duration timeout, Probe<T> probe) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      T value = probe.get();
      if (value != null) {
        return value;
      }
      Thread.sleep(250);
    }
    return fail("nothing within %s; Envoy log:%n%s", timeout, envoy().logs());
  }

  private interface Call {
    int run() throws Exception;
  }

  private static Map<Integer, Integer> concurrently(int n, Call call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<Integer>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        futures.add(pool.submit(call::run));
      }
      Map<Integer, Integer> counts = new HashMap<>();
      for (Future<Integer> f : futures) {
        counts.merge(f.get(), 1, Integer::sum);
      }
      return counts;
    } finally {
      pool.shutdownNow();
    }
  }
}
