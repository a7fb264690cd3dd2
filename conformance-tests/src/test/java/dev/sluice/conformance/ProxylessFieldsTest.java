package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each proxyless client family does with each ModelRoute field, measured with real RPCs:
 * <b>honoured</b> (the effect was observed), <b>ignored</b> (acked, no effect) or <b>rejected</b>
 * (NACKed). Each result goes to the conformance report's Fields table, and is checked against the
 * compatibility table of the README ({@link #EXPECTED}): a client release that starts or stops
 * honouring a field fails here, so the README is updated with it.
 *
 * <p>Each measurement has a route, host and node of its own; a client whose node NACKed anything
 * counts as having rejected the field, whatever its traffic did.
 */
class ProxylessFieldsTest {
  private static final Logger log = LoggerFactory.getLogger(ProxylessFieldsTest.class);
  static final String ROUTES = "/api/v1/namespaces/ml/modelroutes/";
  static final String HONOURED = "honoured";
  static final String IGNORED = "ignored";
  static final String REJECTED = "rejected";
  /**
   * The deadline is applied but fires well before the configured timeout. Python grpcio does this
   * with every service-config timeout, xDS or not (grpc/grpc#34547, about a second early).
   */
  static final String EARLY = "honoured, but fires early";

  /**
   * The README's compatibility table, read from README.md: field -> what grpc-java, grpc-go and
   * gRPC C-core do with it. A cell's first word (honoured, ignored, rejected) is what is compared.
   */
  static final Map<String, List<String>> EXPECTED = Readme.table("| field | grpc-java");

  @TempDir static Path store;
  static ControlPlane cp;

  @BeforeAll
  static void start() {
    cp = ControlPlane.start(store);
  }

  @AfterAll
  static void stop() {
    cp.close();
  }

  /** A measured result and what it rests on. */
  record Measured(String result, String detail) {}

  @ParameterizedTest(name = "{0}")
  @EnumSource(ClientFamily.class)
  void stickyHeader_ringHashWithinAVersion(ClientFamily family) throws Exception {
    try (TaggedBackend a = new TaggedBackend("a"); TaggedBackend b = new TaggedBackend("b");
        TaggedBackend c = new TaggedBackend("c")) {
      measure(family, "sticky.header: ring hash within a version", "ring", host -> """
          {"spec": {"hosts": ["%s"], "port": 8080, "protocol": "GRPC",
            "versions": [{"name": "v1", "weight": 100, "endpoints": ["%s", "%s", "%s"]}],
            "sticky": {"header": "x-user-id"}}}
          """.formatted(host, a.endpoint(), b.endpoint(), c.endpoint()), client -> {
            int users = 12;
            int steady = 0;
            Set<String> servers = new HashSet<>();
            for (int user = 0; user < users; user++) {
              Map<String, String> key = Map.of("x-user-id", "user-" + user);
              // Ring hash connects lazily: a user's first picks may land elsewhere while its
              // server's connection comes up, so its server is the one after a warm-up.
              client.calls(5, key);
              sleep(20);
              List<String> seen = client.calls(20, key);
              if (new HashSet<>(seen).size() == 1 && !seen.get(0).startsWith("error:")) {
                steady++;
                servers.add(seen.get(0));
              }
            }
            String detail = steady + " of " + users + " users kept one server over 20 RPCs; servers " + servers;
            if (steady == users && servers.size() > 1) {
              return new Measured(HONOURED, detail);
            }
            return new Measured(steady <= 1 ? IGNORED : "partial", detail);
          });
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ClientFamily.class)
  void stickyHeader_versionChoice(ClientFamily family) throws Exception {
    try (TaggedBackend v1 = new TaggedBackend("v1"); TaggedBackend v2 = new TaggedBackend("v2")) {
      measure(family, "sticky.header: version choice (use_hash_policy)", "sticky", host -> """
          {"spec": {"hosts": ["%s"], "port": 8080, "protocol": "GRPC",
            "versions": [{"name": "v1", "weight": 50, "endpoints": ["%s"]},
                         {"name": "v2", "weight": 50, "endpoints": ["%s"]}],
            "sticky": {"header": "x-user-id"}}}
          """.formatted(host, v1.endpoint(), v2.endpoint()), client -> {
            int users = 10;
            int steady = 0;
            for (int user = 0; user < users; user++) {
              Map<String, String> key = Map.of("x-user-id", "user-" + user);
              client.calls(3, key);
              // At 50/50 a random choice keeps one version over 12 RPCs once in 2,048 users.
              if (new HashSet<>(client.calls(12, key)).size() == 1) {
                steady++;
              }
            }
            String detail = steady + " of " + users + " users kept one version over 12 RPCs at 50/50";
            return new Measured(steady == users ? HONOURED : steady <= 1 ? IGNORED : "partial", detail);
          });
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ClientFamily.class)
  void mirror(ClientFamily family) throws Exception {
    try (TaggedBackend v1 = new TaggedBackend("v1"); TaggedBackend shadow = new TaggedBackend("v3")) {
      measure(family, "mirror", "mirror", host -> """
          {"spec": {"hosts": ["%s"], "port": 8080, "protocol": "GRPC",
            "versions": [{"name": "v1", "weight": 100, "endpoints": ["%s"]},
                         {"name": "v3", "weight": 0, "endpoints": ["%s"]}],
            "mirror": {"version": "v3", "percent": 100}}}
          """.formatted(host, v1.endpoint(), shadow.endpoint()), client -> {
            List<String> results = client.calls(20, Map.of());
            sleep(300);
            String detail = "20 RPCs at 100 %: " + ProxylessClientsTest.tally(results) + "; the mirror saw " + shadow.calls();
            return new Measured(shadow.calls() > 0 ? HONOURED : IGNORED, detail);
          });
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ClientFamily.class)
  void faultDelay(ClientFamily family) throws Exception {
    try (TaggedBackend v1 = new TaggedBackend("v1")) {
      measure(family, "fault.delay", "delay", host -> single(host, v1,
          "\"fault\": {\"delay\": {\"percent\": 100, \"duration\": \"300ms\"}}"), client -> {
            long start = System.nanoTime();
            List<String> results = client.calls(3, Map.of());
            long each = (System.nanoTime() - start) / 3 / 1_000_000;
            String detail = "3 RPCs at 100 % x 300 ms: " + results + ", " + each + " ms each";
            return new Measured(each >= 290 ? HONOURED : each < 150 ? IGNORED : "partial", detail);
          });
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ClientFamily.class)
  void faultAbort(ClientFamily family) throws Exception {
    try (TaggedBackend v1 = new TaggedBackend("v1")) {
      measure(family, "fault.abort", "abort", host -> single(host, v1,
          "\"fault\": {\"abort\": {\"percent\": 100, \"httpStatus\": 503}}"), client -> {
            long before = v1.calls();
            Map<String, Long> outcomes = ProxylessClientsTest.tally(client.calls(20, Map.of()));
            long reached = v1.calls() - before;
            String detail = "20 RPCs at 100 % 503: " + outcomes + "; the server saw " + reached;
            if (outcomes.equals(Map.of("error:UNAVAILABLE", 20L)) && reached == 0) {
              return new Measured(HONOURED, detail);
            }
            return new Measured(outcomes.equals(Map.of("v1", 20L)) ? IGNORED : "partial", detail);
          });
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ClientFamily.class)
  void outlierDetection(ClientFamily family) throws Exception {
    try (TaggedBackend a = new TaggedBackend("a"); TaggedBackend b = new TaggedBackend("b");
        TaggedBackend bad = new TaggedBackend("bad")) {
      bad.failureRate(1.0);
      measure(family, "outlierDetection (failurePercent)", "eject", host -> """
          {"spec": {"hosts": ["%s"], "port": 8080, "protocol": "GRPC",
            "versions": [{"name": "v1", "weight": 100, "endpoints": ["%s", "%s", "%s"]}],
            "outlierDetection": {"failurePercent": 50, "minRequests": 5, "minHosts": 3, "interval": "500ms",
              "baseEjectionTime": "30s", "maxEjectionPercent": 50}}}
          """.formatted(host, a.endpoint(), b.endpoint(), bad.endpoint()), client -> {
            // Three ejection intervals of traffic, then what the failing server still gets.
            int errorsAtFirst = 0;
            long until = System.nanoTime() + 1_800_000_000L;
            while (System.nanoTime() < until) {
              errorsAtFirst += errors(client.calls(10, Map.of()));
              sleep(20);
            }
            long badBefore = bad.calls();
            Map<String, Long> after = ProxylessClientsTest.tally(client.calls(100, Map.of()));
            long badAfter = bad.calls() - badBefore;
            String detail = errorsAtFirst + " errors in the first 1.8 s; then 100 RPCs " + after
                + ", the failing server saw " + badAfter;
            if (errorsAtFirst > 0 && badAfter == 0 && !after.containsKey("error:UNAVAILABLE")) {
              return new Measured(HONOURED, detail);
            }
            return new Measured(after.getOrDefault("error:UNAVAILABLE", 0L) >= 20 ? IGNORED : "partial", detail);
          });
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ClientFamily.class)
  void circuitBreakerMaxRequests(ClientFamily family) throws Exception {
    try (TaggedBackend slow = new TaggedBackend("v1")) {
      slow.delay(Duration.ofMillis(400));
      measure(family, "circuitBreaker.maxRequests", "breaker", host -> single(host, slow,
          "\"circuitBreaker\": {\"maxRequests\": 1}"), client -> {
            List<String> results = client.concurrent(6, XdsClient.DEADLINE, Map.of());
            int failed = errors(results);
            String detail = "6 concurrent RPCs of 400 ms with maxRequests 1: " + ProxylessClientsTest.tally(results);
            return new Measured(failed >= 4 ? HONOURED : failed == 0 ? IGNORED : "partial", detail);
          });
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ClientFamily.class)
  void timeout(ClientFamily family) throws Exception {
    try (TaggedBackend slow = new TaggedBackend("v1")) {
      slow.delay(Duration.ofMillis(900));
      measure(family, "timeout", "timeout", host -> single(host, slow, "\"timeout\": \"500ms\""), client -> {
        List<String> results = new ArrayList<>();
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          long start = System.nanoTime();
          results.add(client.call(Map.of()));
          millis.add((System.nanoTime() - start) / 1_000_000);
        }
        String detail = "2 RPCs to a 900 ms server, timeout 500ms, client deadline 5 s: " + results + " after "
            + millis + " ms";
        if (results.stream().allMatch("v1"::equals)) {
          return new Measured(IGNORED, detail);
        }
        if (!results.stream().allMatch("error:DEADLINE_EXCEEDED"::equals)) {
          return new Measured("partial", detail);
        }
        // The deadline must fall near the configured timeout: an RPC cut much earlier is a client bug.
        boolean onTime = millis.stream().allMatch(ms -> ms >= 450 && ms < 850);
        boolean early = millis.stream().allMatch(ms -> ms < 450);
        return new Measured(onTime ? HONOURED : early ? EARLY : "partial", detail);
      });
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ClientFamily.class)
  void retriesPerTryTimeout(ClientFamily family) throws Exception {
    try (TaggedBackend slow = new TaggedBackend("v1")) {
      slow.delay(Duration.ofMillis(300));
      measure(family, "retries.perTryTimeout", "pertry", host -> single(host, slow,
          "\"retries\": {\"attempts\": 2, \"perTryTimeout\": \"100ms\", \"on\": [\"unavailable\", \"deadline-exceeded\"]}"),
          client -> {
            long calls = slow.calls();
            List<String> results = client.calls(3, XdsClient.DEADLINE, Map.of());
            String detail = "3 RPCs to a 300 ms server, perTryTimeout 100ms, 2 retries: " + results
                + "; the server saw " + (slow.calls() - calls) + " attempts";
            if (errors(results) == 3) {
              return new Measured(HONOURED, detail);
            }
            return new Measured(results.stream().allMatch("v1"::equals) ? IGNORED : "partial", detail);
          });
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ClientFamily.class)
  void retryBudget(ClientFamily family) throws Exception {
    try (TaggedBackend flaky = new TaggedBackend("v1")) {
      flaky.failureRate(0.3);
      // A budget of 0 % with no minimum allows no retry at all where it is enforced (Envoy).
      measure(family, "retries.budget", "budget", host -> single(host, flaky,
          "\"retries\": {\"attempts\": 3, \"on\": [\"unavailable\"], \"backoff\": {\"base\": \"2ms\", \"max\": \"10ms\"},"
              + " \"budget\": {\"percent\": 0, \"minConcurrency\": 0}}"), client -> {
            int n = 200;
            int failed = errors(client.calls(n, Map.of()));
            String detail = "30 % failing server, 3 retries under a 0 % budget: " + failed + " / " + n + " RPCs failed";
            return new Measured(failed >= 30 ? HONOURED : failed <= 10 ? IGNORED : "partial", detail);
          });
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ClientFamily.class)
  void queryParamsRule(ClientFamily family) throws Exception {
    try (TaggedBackend v1 = new TaggedBackend("v1"); TaggedBackend v2 = new TaggedBackend("v2")) {
      measure(family, "rules[].match.queryParams", "query", host -> """
          {"spec": {"hosts": ["%s"], "port": 8080, "protocol": "GRPC",
            "versions": [{"name": "v1", "weight": 100, "endpoints": ["%s"]},
                         {"name": "v2", "weight": 0, "endpoints": ["%s"]}],
            "rules": [{"name": "variant", "match": {"queryParams": [{"name": "variant", "exact": "b"}]}, "version": "v2"}]}}
          """.formatted(host, v1.endpoint(), v2.endpoint()), client -> {
            Map<String, Long> outcomes = ProxylessClientsTest.tally(client.calls(20, Map.of()));
            if (outcomes.equals(Map.of("v1", 20L))) {
              return new Measured(IGNORED, "the rule never matches (gRPC requests have no query string): 20 RPCs "
                  + outcomes);
            }
            return new Measured(outcomes.equals(Map.of("v2", 20L)) ? "condition dropped: the rule matches every RPC"
                : "partial", "20 RPCs " + outcomes);
          });
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ClientFamily.class)
  void cookieRule(ClientFamily family) throws Exception {
    try (TaggedBackend v1 = new TaggedBackend("v1"); TaggedBackend v2 = new TaggedBackend("v2")) {
      measure(family, "rules[].match.cookies", "cookie", host -> """
          {"spec": {"hosts": ["%s"], "port": 8080, "protocol": "GRPC",
            "versions": [{"name": "v1", "weight": 100, "endpoints": ["%s"]},
                         {"name": "v2", "weight": 0, "endpoints": ["%s"]}],
            "rules": [{"name": "cohort", "match": {"cookies": [{"name": "cohort", "exact": "beta"}]}, "version": "v2"}]}}
          """.formatted(host, v1.endpoint(), v2.endpoint()), client -> {
            Map<String, Long> withCookie = ProxylessClientsTest.tally(client.calls(20, Map.of("cookie", "cohort=beta")));
            Map<String, Long> otherCookie = ProxylessClientsTest.tally(client.calls(20, Map.of("cookie", "cohort=alpha")));
            String detail = "20 RPCs with cookie cohort=beta " + withCookie + ", with cohort=alpha " + otherCookie;
            if (withCookie.equals(Map.of("v2", 20L)) && otherCookie.equals(Map.of("v1", 20L))) {
              return new Measured(HONOURED, detail);
            }
            return new Measured(withCookie.equals(Map.of("v1", 20L)) ? IGNORED : "partial", detail);
          });
    }
  }

  /**
   * Puts the route {@code json.apply(host)}, starts a client of the family for it, waits until its
   * node acked everything or NACKed something, and (unless it NACKed) measures the effect. Records
   * the result in the Fields table and checks it against {@link #EXPECTED}.
   */
  private void measure(ClientFamily family, String field, String slug, Function<String, String> json,
      Function<XdsClient, Measured> effect) throws InterruptedException {
    String name = slug + "-" + family.id;
    String host = name + ".ml";
    ControlPlane.Response r = cp.put(ROUTES + name, "application/json", json.apply(host));
    assertThat(r.status()).as("PUT %s: %s", name, r.body()).isEqualTo(201);
    Measured measured;
    try (XdsClient client = family.open(cp, name + "-client", host)) {
      String first = client.call(Map.of()); // the client subscribes on its first RPC
      ProxyStatus status = ProxyStatus.await(cp, client.nodeId(), s -> s.hasAckedAll() || s.nacks() > 0);
      if (status.nacks() > 0) {
        measured = new Measured(REJECTED, "NACK " + status.lastNacks() + "; first RPC " + first);
      } else {
        measured = effect.apply(client);
      }
    }
    log.info("{}: {} {} ({})", family, field, measured.result(), measured.detail());
    ConformanceReport.record(ConformanceReport.FIELDS, family.label(), field, measured.result(), measured.detail());
    assertThat(EXPECTED).as("the README's compatibility table has a row for %s", field).containsKey(field);
    assertThat(firstWord(measured.result())).as("%s with %s (%s); the README's table says otherwise", field, family,
        measured.detail()).isEqualTo(firstWord(EXPECTED.get(field).get(family.ordinal())));
  }

  private static String firstWord(String cell) {
    return cell.split("[ ,:(]", 2)[0];
  }

  private static String single(String host, TaggedBackend backend, String policy) {
    return """
        {"spec": {"hosts": ["%s"], "port": 8080, "protocol": "GRPC",
          "versions": [{"name": "v1", "weight": 100, "endpoints": ["%s"]}], %s}}
        """.formatted(host, backend.endpoint(), policy);
  }

  private static int errors(List<String> results) {
    return (int) results.stream().filter(s -> s.startsWith("error:")).count();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
