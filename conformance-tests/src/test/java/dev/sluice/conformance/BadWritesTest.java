package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Writes that must change nothing. Each bad write gets a 4xx that names the field, and changes nothing: not the stored route, and
 * not what the connected proxy runs (no new version is pushed to it).
 */
class BadWritesTest {
  static final String PATH = "/api/v1/namespaces/ml/modelroutes/guarded";

  @TempDir static Path store;
  static ControlPlane cp;
  static TaggedBackend v1;
  static ProxylessClient client;
  static JsonNode storedBefore;
  static ProxyStatus proxyBefore;

  @BeforeAll
  static void start() throws Exception {
    cp = ControlPlane.start(store);
    v1 = new TaggedBackend("v1");
    // v2 has no server behind it: weight 0 keeps the set-up call on v1 (at 10 % it failed 1 in 10).
    cp.put(PATH, "application/json", Routes.split("guarded.ml", 100, v1.endpoint(), 0, v1.endpoint().replace("127.0.0.1", "127.0.0.2")));
    client = new ProxylessClient(cp.grpcBootstrap("guarded-client"), "guarded.ml");
    client.call();
    proxyBefore = ProxyStatus.await(cp, "guarded-client", ProxyStatus::hasAckedAll);
    storedBefore = cp.get(PATH).body();
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    v1.close();
    cp.close();
  }

  static String doc(String versions) {
    return "{\"spec\": {\"hosts\": [\"guarded.ml\"], \"port\": 8080, \"versions\": " + versions + "}}";
  }

  static Stream<Arguments> badWrites() {
    String e = "\"endpoints\": [\"10.0.0.1:80\"]";
    return Stream.of(
        Arguments.of("weights summing to 120", "application/json",
            doc("[{\"name\": \"v1\", \"weight\": 90, " + e + "}, {\"name\": \"v2\", \"weight\": 30, " + e + "}]"),
            422, "spec.versions"),
        Arguments.of("an unknown field", "application/json",
            "{\"spec\": {\"hosts\": [\"guarded.ml\"], \"port\": 8080, \"wieght\": 5, \"versions\": [{\"name\": \"v1\", \"weight\": 100, " + e + "}]}}",
            422, "spec.wieght"),
        Arguments.of("an unknown object under spec, after its siblings", "application/json",
            "{\"spec\": {\"hosts\": [\"guarded.ml\"], \"port\": 8080, \"versions\": [{\"name\": \"v1\", \"weight\": 100, " + e + "}], \"foo\": {\"bar\": 1}}}",
            422, "spec.foo"),
        Arguments.of("a negative weight", "application/json",
            doc("[{\"name\": \"v1\", \"weight\": 110, " + e + "}, {\"name\": \"v2\", \"weight\": -10, " + e + "}]"),
            422, "spec.versions[1].weight"),
        Arguments.of("an empty version list", "application/json", doc("[]"), 422, "spec.versions"),
        Arguments.of("no spec at all (was a 500 before)", "application/json", "{}", 422, "spec"),
        Arguments.of("a spec without versions", "application/json",
            "{\"spec\": {\"hosts\": [\"guarded.ml\"], \"port\": 8080}}", 422, "spec.versions"),
        Arguments.of("an endpoint that is not host:port", "application/json",
            doc("[{\"name\": \"v1\", \"weight\": 100, \"endpoints\": [\"10.0.0.1\"]}]"), 422, "spec.versions[0].endpoints[0]"),
        Arguments.of("truncated JSON", "application/json", "{\"spec\": {\"hosts\": [\"guarded.ml\"", 400, "spec.hosts[1]"),
        Arguments.of("a 12 MB body", "application/json", "{\"spec\": \"" + "x".repeat(12 * 1024 * 1024) + "\"}", 413, "(body)"),
        Arguments.of("a host another route serves", "application/json", null, 409, "spec.hosts[0]"));
  }

  @org.junit.jupiter.api.Test
  void identicalWrite_bumpsNothing_andPushesNothing() throws Exception {
    ControlPlane.Response r = cp.put(PATH, "application/json", storedBefore.toString());

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().get("metadata")).isEqualTo(storedBefore.get("metadata"));
    Thread.sleep(300); // longer than the debounce
    ProxyStatus now = ProxyStatus.of(cp, "guarded-client");
    assertThat(now.ackedVersions()).isEqualTo(proxyBefore.ackedVersions());
    for (String t : List.of(ProxyStatus.CDS, ProxyStatus.EDS, ProxyStatus.LDS, ProxyStatus.RDS)) {
      assertThat(now.responses(t)).as("responses of " + t).isEqualTo(proxyBefore.responses(t));
    }
  }

  @org.junit.jupiter.api.Test
  void staleDryRun_isRefusedLikeTheRealWrite() {
    String stale = "{\"metadata\": {\"resourceVersion\": \"999\"}, " + doc("[{\"name\": \"v1\", \"weight\": 100, \"endpoints\": [\"10.0.0.1:80\"]}]").substring(1);

    ControlPlane.Response dry = cp.put(PATH + "?dryRun=All", "application/json", stale);
    ControlPlane.Response real = cp.put(PATH, "application/json", stale);

    assertThat(dry.status()).isEqualTo(409);
    assertThat(real.status()).isEqualTo(409);
    assertThat(dry.body().get("errors").get(0).get("field").asString()).isEqualTo("metadata.resourceVersion");
    assertThat(cp.get(PATH).body()).isEqualTo(storedBefore);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badWrites")
  void badWrite_isRefusedWithItsField_andChangesNothing(String what, String type, String body, int status, String field)
      throws Exception {
    String path = PATH;
    if (body == null) { // another route claiming this route's host
      path = "/api/v1/namespaces/ml/modelroutes/squatter";
      body = doc("[{\"name\": \"v1\", \"weight\": 100, \"endpoints\": [\"10.0.0.9:80\"]}]");
    }

    ControlPlane.Response r = cp.put(path, type, body);

    assertThat(r.status()).as(what).isEqualTo(status);
    List<String> fields = r.body().get("errors").valueStream().map(n -> n.get("field").asString()).toList();
    assertThat(fields).as(what).contains(field);
    assertThat(cp.get(PATH).body()).as("stored route after " + what).isEqualTo(storedBefore);
    assertThat(cp.get("/api/v1/namespaces/ml/modelroutes/squatter").status()).isEqualTo(404);
    Thread.sleep(300); // longer than the debounce: a push, had there been one, would be out
    ProxyStatus now = ProxyStatus.of(cp, "guarded-client");
    assertThat(now.ackedVersions()).as("proxy versions after " + what).isEqualTo(proxyBefore.ackedVersions());
    for (String t : List.of(ProxyStatus.CDS, ProxyStatus.EDS, ProxyStatus.LDS, ProxyStatus.RDS)) {
      assertThat(now.responses(t)).as("responses of " + t + " after " + what).isEqualTo(proxyBefore.responses(t));
    }
  }
}
