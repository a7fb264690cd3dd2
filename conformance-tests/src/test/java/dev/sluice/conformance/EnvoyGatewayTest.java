package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real HTTP traffic through one real Envoy gateway, configured only by what Sluice pushes over ADS:
 * the weighted split, and the policies only Envoy implements: mirroring, cookie stickiness,
 * the sticky weighted choice by header (use_hash_policy), circuit breaking, per-try timeouts and
 * the retry budget.
 * Skipped, with the reason, where no Docker engine answers.
 */
class EnvoyGatewayTest {
  private static final Logger log = LoggerFactory.getLogger(EnvoyGatewayTest.class);
  static final String ROUTES = "/api/v1/namespaces/ml/modelroutes/";

  @TempDir static Path store;
  static boolean docker;
  static ControlPlane cp;
  static EnvoyGateway envoy;

  /**
   * Probes Docker before anything heavy starts; one control plane and one Envoy serve every test.
   * The skip itself is in {@link #requireDocker()}: Surefire 3.5 drops classes aborted in
   * {@code @BeforeAll} from its report (SUREFIRE-2300), so an assumption here would leave no trace
   * of the skip or its reason.
   */
  @BeforeAll
  static void start() {
    docker = EnvoyGateway.dockerAvailable();
    if (docker) {
      cp = ControlPlane.start(store);
      envoy = EnvoyGateway.start(cp, "envoy-gateway-1");
    }
  }

  @BeforeEach
  void requireDocker() {
    Assumptions.assumeTrue(docker, EnvoyGateway.NO_DOCKER);
  }

  @AfterAll
  static void stop() {
    if (envoy != null) {
      envoy.close();
    }
    if (cp != null) {
      cp.close();
    }
  }

  private static void put(String name, String json) throws InterruptedException {
    ControlPlane.Response r = cp.put(ROUTES + name, "application/json", json);
    assertThat(r.status()).as("PUT %s: %s", name, r.body()).isIn(200, 201);
    envoy.awaitFirst200(name + ".ml", Duration.ofSeconds(30));
  }

  @Test
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
        EnvoyGateway.Reply r = envoy.get("split.ml");
        assertThat(r.status()).as("status of request %d", i).isEqualTo(200);
        switch (r.body()) {
          case "v1" -> onV1++;
          case "v2" -> { }
          default -> fail("request %d answered by neither version: '%s'", i, r.body());
        }
      }
      log.info("Envoy 90/10 split over {} requests: v1 {} v2 {}", n, onV1, n - onV1);
      Binomial.assertWithin999("requests on v1", onV1, n, 0.9);
    }
  }

  @Test
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
        EnvoyGateway.Reply r = envoy.get("mirror.ml");
        assertThat(r.body()).as("request %d", i).isEqualTo("primary");
      }
      Thread.sleep(500); // mirrored requests are fire-and-forget
      long mirrored = shadow.requests() - shadowBefore;
      log.info("mirror 25 % over {} requests: shadow saw {}", n, mirrored);
      Binomial.assertWithin999("requests mirrored", mirrored, n, 0.25);
    }
  }

  @Test
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
        EnvoyGateway.Reply first = envoy.get("cookie.ml");
        String setCookie = first.headers().get("set-cookie");
        assertThat(setCookie).as("user %d's first response", user).startsWith("sluice-variant=").containsIgnoringCase("Max-Age=3600");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String version = envoy.get("cookie.ml", Map.of("cookie", cookie)).body();
        for (int i = 0; i < 20; i++) {
          assertThat(envoy.get("cookie.ml", Map.of("cookie", cookie)).body()).isEqualTo(version);
        }
        onV2 += version.equals("v2") ? 1 : 0;
      }
      log.info("cookie stickiness: {} of {} users pinned to v2", onV2, users);
      Binomial.assertWithin999("users on v2", onV2, users, 0.5);
    }
  }

  @Test
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
          String version = envoy.get("sticky.ml", Map.of("x-user-id", "user-" + user)).body();
          assertThat(first.putIfAbsent("user-" + user, version) == null || first.get("user-" + user).equals(version))
              .as("user-%d keeps %s", user, first.get("user-" + user)).isTrue();
        }
      }
      long onV2 = first.values().stream().filter("v2"::equals).count();
      log.info("sticky header: {} of 500 users on v2", onV2);
      Binomial.assertWithin999("users on v2", onV2, 500, 0.2);
    }
  }

  @Test
  void circuitBreaker_maxRequestsAnswers503ForTheExcess() throws Exception {
    try (HttpBackend v1 = new HttpBackend("v1")) {
      put("breaker", """
          {"spec": {"hosts": ["breaker.ml"], "port": 8080,
            "versions": [{"name": "v1", "weight": 100, "endpoints": ["%s"]}],
            "circuitBreaker": {"maxRequests": 2, "maxPendingRequests": 1}}}
          """.formatted(v1.endpoint()));
      v1.hold(1000);
      Map<Integer, Integer> statuses = concurrently(10, () -> envoy.get("breaker.ml").status());
      log.info("10 concurrent requests against maxRequests 2: {}", statuses);
      assertThat(statuses.getOrDefault(503, 0)).isGreaterThanOrEqualTo(6);
      assertThat(envoy.stat("cluster.ml|breaker|v1.upstream_rq_pending_overflow")).isPositive();
    }
  }

  @Test
  void retryBudget_capsRetriesToAShareOfActiveRequests() throws Exception {
    try (HttpBackend v1 = new HttpBackend("v1")) {
      put("budget", """
          {"spec": {"hosts": ["budget.ml"], "port": 8080,
            "versions": [{"name": "v1", "weight": 100, "endpoints": ["%s"]}],
            "retries": {"attempts": 3, "on": ["5xx"], "budget": {"percent": 10, "minConcurrency": 1}}}}
          """.formatted(v1.endpoint()));
      v1.status(503);
      v1.hold(300);
      concurrently(20, () -> envoy.get("budget.ml").status());
      long overflow = envoy.stat("cluster.ml|budget|v1.upstream_rq_retry_overflow");
      long retried = envoy.stat("cluster.ml|budget|v1.upstream_rq_retry");
      log.info("retry budget 10 %% of 20 concurrent failing requests: {} retries, {} refused by the budget", retried, overflow);
      assertThat(overflow).isPositive();
      assertThat(retried).isLessThan(20 * 3);
    }
  }

  @Test
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
      EnvoyGateway.Reply r = envoy.get("pertry.ml");
      long millis = (System.nanoTime() - start) / 1_000_000;
      log.info("per-try timeout 200 ms, 2 retries: HTTP {} after {} ms, {} tries", r.status(), millis, v1.requests() - before);
      assertThat(r.status()).isEqualTo(504);
      assertThat(millis).isLessThan(1000);
      assertThat(v1.requests() - before).isEqualTo(3);
    }
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
