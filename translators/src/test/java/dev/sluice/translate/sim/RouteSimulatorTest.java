package dev.sluice.translate.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelRouteCodec;
import dev.sluice.translate.EnvoyTranslator;
import dev.sluice.translate.ProxyGroup;
import dev.sluice.translate.Translation;
import dev.sluice.translate.sim.RouteSimulator.Request;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Requests through the generated route table, decided as Envoy decides: rules in order, then the
 * weights; sticky users by the hash of their key.
 */
class RouteSimulatorTest {
  private static final Path IN = Path.of("src/test/resources/testdata/in");

  static RouteSimulator simulator(String testCase, long seed) throws IOException {
    ModelRoute route = ModelRouteCodec.parse(Files.readString(IN.resolve(testCase + ".yaml")),
        ModelRouteCodec.Format.YAML).route();
    Translation t = EnvoyTranslator.translate(List.of(route), ProxyGroup.gateway(10000));
    assertThat(t.rejected()).isEmpty();
    return new RouteSimulator(t.resources().routes().get(0), new SplittableRandom(seed));
  }

  @Test
  void rules_areTriedInOrder_andTheRestTakesTheWeights() throws IOException {
    RouteSimulator sim = simulator("rules", 1);
    Request base = Request.to("ranker.shop");

    assertThat(sim.route(base.header("x-experiment", "b")).orElseThrow().cluster()).isEqualTo("shop|ranker|v2");
    assertThat(sim.route(base.header("x-experiment", "B")).orElseThrow().route()).isEqualTo("shop|ranker|default");
    assertThat(sim.route(base.path("/predict?variant=exp-7")).orElseThrow().route())
        .isEqualTo("shop|ranker|rule|variant-split");
    assertThat(sim.route(base.path("/predict?variant=control")).orElseThrow().route())
        .isEqualTo("shop|ranker|default");
    assertThat(sim.route(base.header("cookie", "a=1; cohort=beta.1; z=2")).orElseThrow().cluster())
        .isEqualTo("shop|ranker|v2");
    // The dot is a literal in the cookie's pattern, and the value must end at ';' or the end.
    assertThat(sim.route(base.header("cookie", "cohort=betax1")).orElseThrow().route()).isEqualTo("shop|ranker|default");
    assertThat(sim.route(base.header("cookie", "cohort=beta.10")).orElseThrow().route()).isEqualTo("shop|ranker|default");
    assertThat(sim.route(base.header("cookie", "xcohort=beta.1")).orElseThrow().route()).isEqualTo("shop|ranker|default");
    // Every condition of a rule must hold; the first matching rule wins over later ones.
    Request staff = base.header("x-user-email", "ana@example.com").header("x-debug", "1").header("cookie", "trace=on");
    assertThat(sim.route(staff).orElseThrow().route()).isEqualTo("shop|ranker|rule|staff");
    assertThat(sim.route(staff.header("x-experiment", "b")).orElseThrow().route())
        .isEqualTo("shop|ranker|rule|beta-testers");
    assertThat(sim.route(staff.header("x-user-email", "ana@example.org")).orElseThrow().route())
        .isEqualTo("shop|ranker|rule|staff");
    // The alternation stays whole: neither side matches a prefix or suffix of the address alone.
    assertThat(sim.route(staff.header("x-user-email", "ana@example.com.evil")).orElseThrow().route())
        .isEqualTo("shop|ranker|default");
    assertThat(sim.route(staff.header("x-user-email", "ana@example.net")).orElseThrow().route())
        .isEqualTo("shop|ranker|default");
  }

  @Test
  void unmatchedRequests_splitByTheWeights() throws IOException {
    RouteSimulator sim = simulator("rules", 7);
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 20_000; i++) {
      counts.merge(sim.route(Request.to("ranker.shop")).orElseThrow().cluster(), 1, Integer::sum);
    }

    assertWithinBinomialBound(counts.get("shop|ranker|v2"), 20_000, 0.05);
  }

  @Test
  void stickyHeader_sameUserSameVersionOverAThousandRequests() throws IOException {
    RouteSimulator sim = simulator("sticky-header", 3);
    for (int user = 0; user < 50; user++) {
      Request request = Request.to("recommender.ml").header("x-user-id", "user-" + user);
      String first = sim.route(request).orElseThrow().cluster();
      for (int i = 0; i < 1000; i++) {
        assertThat(sim.route(request).orElseThrow().cluster()).as("user-%d request %d", user, i).isEqualTo(first);
      }
    }
  }

  @Test
  void stickyHeader_shareOfUsersPerVersionFollowsTheWeights() throws IOException {
    RouteSimulator sim = simulator("sticky-header", 5);
    int users = 10_000;
    int onV2 = 0;
    for (int user = 0; user < users; user++) {
      Request request = Request.to("recommender.ml").header("x-user-id", "user-" + user);
      if (sim.route(request).orElseThrow().cluster().equals("ml|recommender|v2")) {
        onV2++;
      }
    }

    assertWithinBinomialBound(onV2, users, 0.20);
  }

  @Test
  void stickyCookie_pinsUsersWhoCarryIt() throws IOException {
    RouteSimulator sim = simulator("sticky-cookie", 11);
    int onV2 = 0;
    for (int user = 0; user < 4000; user++) {
      Request request = Request.to("recommender.ml").header("cookie", "sluice-variant=" + Long.toHexString(user * 7919L));
      String first = sim.route(request).orElseThrow().cluster();
      for (int i = 0; i < 20; i++) {
        assertThat(sim.route(request).orElseThrow().cluster()).isEqualTo(first);
      }
      onV2 += first.endsWith("|v2") ? 1 : 0;
    }
    assertWithinBinomialBound(onV2, 4000, 0.5);
  }

  @Test
  void withoutSticky_oneUserIsSpreadOverVersions() throws IOException {
    RouteSimulator sim = simulator("weighted-split", 13);
    var seen = new java.util.HashSet<String>();
    for (int i = 0; i < 1000; i++) {
      seen.add(sim.route(Request.to("fraud-scorer.ml").header("x-user-id", "same")).orElseThrow().cluster());
    }
    assertThat(seen).hasSizeGreaterThan(1);
  }

  /** Within 3.29 standard deviations: a false alarm once in a thousand runs. */
  static void assertWithinBinomialBound(int hits, int trials, double p) {
    double mean = trials * p;
    double bound = 3.29 * Math.sqrt(trials * p * (1 - p));
    assertThat((double) hits).as("hits of %d trials at p=%s", trials, p).isBetween(mean - bound, mean + bound);
  }
}
