package dev.sluice.controlplane.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.controlplane.RunningApp;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The permission matrix, request by request against the running application: for each endpoint and
 * each caller, allowed (the handler answers, whatever it says), 403, or 401. Callers: no credentials,
 * and tokens for viewer, editor and admin in namespace ml, viewer in all namespaces, admin in all.
 */
class ApiSecurityTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Caller name to token, in the matrix's column order after "none". */
  private static final Map<String, String> TOKENS = new LinkedHashMap<>();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir static Path store;
  static RunningApp app;

  @BeforeAll
  static void start() {
    List<String> args = new ArrayList<>();
    token(args, "viewer-ml", "viewer", "ml");
    token(args, "editor-ml", "editor", "ml");
    token(args, "admin-ml", "admin", "ml");
    token(args, "viewer-all", "viewer", null);
    token(args, "admin-all", "admin", null);
    args.add("--sluice.api.failed-authentications.limit=1000");
    app = RunningApp.start(store, args.toArray(String[]::new));
  }

  private static void token(List<String> args, String name, String role, String namespace) {
    int i = TOKENS.size();
    String token = TokenHash.newToken(RANDOM);
    TOKENS.put(name, token);
    args.add("--sluice.api.tokens[" + i + "].name=" + name);
    args.add("--sluice.api.tokens[" + i + "].hash=" + TokenHash.of(token, RANDOM));
    args.add("--sluice.api.tokens[" + i + "].grants[0].role=" + role);
    if (namespace != null) {
      args.add("--sluice.api.tokens[" + i + "].grants[0].namespaces[0]=" + namespace);
    }
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @ParameterizedTest(name = "{0} {1}: {2}")
  @CsvSource(delimiter = '|', textBlock = """
      # method | path                                              | none viewer-ml editor-ml admin-ml viewer-all admin-all
      GET    | /api/v1/trust-bundle                              | A A A A A A
      GET    | /api/v1/modelroutes                               | U D D D A A
      GET    | /api/v1/namespaces/ml/modelroutes                 | U A A A A A
      GET    | /api/v1/namespaces/prod/modelroutes               | U D D D A A
      GET    | /api/v1/namespaces/ml/modelroutes/r               | U A A A A A
      GET    | /api/v1/namespaces/ml/modelroutes/r/envoy         | U A A A A A
      GET    | /api/v1/namespaces/ml/modelroutes/r/revisions     | U A A A A A
      GET    | /api/v1/namespaces/prod/modelroutes/r             | U D D D A A
      PUT    | /api/v1/namespaces/ml/modelroutes/r               | U D A A D A
      PUT    | /api/v1/namespaces/prod/modelroutes/r             | U D D D D A
      PATCH  | /api/v1/namespaces/ml/modelroutes/r               | U D A A D A
      DELETE | /api/v1/namespaces/ml/modelroutes/r               | U D A A D A
      PUT    | /api/v1/namespaces/ml/modelroutes/r/weights       | U D A A D A
      POST   | /api/v1/namespaces/ml/modelroutes/r/rollback      | U D A A D A
      GET    | /api/v1/namespaces/ml/modelroutes/r/rollout       | U A A A A A
      GET    | /api/v1/namespaces/prod/modelroutes/r/rollout     | U D D D A A
      POST   | /api/v1/namespaces/ml/modelroutes/r/rollout/pause | U D A A D A
      POST   | /api/v1/namespaces/ml/modelroutes/r/rollout/abort | U D A A D A
      POST   | /api/v1/namespaces/prod/modelroutes/r/rollout/abort | U D D D D A
      POST   | /api/v1/namespaces/ml/bootstrap                   | U D D A D A
      POST   | /api/v1/namespaces/prod/bootstrap                 | U D D D D A
      GET    | /api/v1/tokens                                    | U D D D D A
      GET    | /api/v1/tokens/t                                  | U D D D D A
      DELETE | /api/v1/tokens/t                                  | U D D D D A
      GET    | /api/v1/proxies                                   | U D D D A A
      GET    | /api/v1/proxies/p                                 | U D D D A A
      GET    | /v3/api-docs                                      | U A A A A A
      GET    | /swagger-ui/index.html                            | U A A A A A
      GET    | /swagger-ui.html                                  | U A A A A A
      GET    | /ui                                               | A A A A A A
      GET    | /ui/                                              | A A A A A A
      GET    | /ui/index.html                                    | A A A A A A
      GET    | /ui/ui.js                                         | A A A A A A
      GET    | /ui/ui.css                                        | A A A A A A
      POST   | /ui/                                              | U D D D D D
      GET    | /actuator/health                                  | A A A A A A
      GET    | /actuator/health/readiness                        | A A A A A A
      GET    | /actuator/prometheus                              | A A A A A A
      GET    | /actuator/info                                    | U D D D D A
      POST   | /api/v1/namespaces/ml/modelroutes                 | U D D D D D
      GET    | /api/v1/no-such-endpoint                          | U D D D D D
      GET    | /api/v1/tokens/                                   | U D D D D D
      GET    | /API/v1/tokens                                    | U D D D D D
      GET    | /api/v1/namespaces/ml/modelroutes/r/              | U D D D D D
      HEAD   | /actuator/health                                  | A A A A A A
      HEAD   | /api/v1/tokens                                    | U D D D D A
      """)
  void eachCaller_getsWhatItsGrantsAllow(String method, String path, String expected) {
    Iterator<String> outcome = List.of(expected.trim().split("\\s+")).iterator();
    check(method, path, null, "none", outcome.next());
    for (Map.Entry<String, String> caller : TOKENS.entrySet()) {
      check(method, path, caller.getValue(), caller.getKey(), outcome.next());
    }
  }

  private static void check(String method, String path, String token, String caller, String expected) {
    String body = method.equals("GET") || method.equals("DELETE") ? null : "{}";
    String type = method.equals("PATCH") ? "application/merge-patch+json" : "application/json";
    HttpResponse<String> response = app.sendAs(token, method, path, body == null ? null : type, body);
    int status = response.statusCode();
    switch (expected) {
      case "A" -> {
        // The handler answered: not refused, not a failure, and not "no such endpoint" (a missing
        // route's 404 names the route; a missing handler's names the path as a static resource).
        assertThat(status).as("%s %s as %s: %s", method, path, caller, response.body())
            .isNotIn(401, 403, 405).isLessThan(500);
        if (status == 404) {
          assertThat(response.body()).as("%s %s as %s", method, path, caller).doesNotContain("No static resource");
        }
      }
      case "D" -> {
        assertThat(status).as("%s %s as %s", method, path, caller).isEqualTo(403);
        assertProblem(response, "Forbidden");
      }
      case "U" -> {
        assertThat(status).as("%s %s as %s", method, path, caller).isEqualTo(401);
        assertProblem(response, "Unauthorized");
      }
      default -> throw new IllegalArgumentException(expected);
    }
  }

  private static void assertProblem(HttpResponse<String> response, String title) {
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    if (response.request().method().equals("HEAD")) {
      return; // no body
    }
    JsonNode problem = JSON.readTree(response.body());
    assertThat(problem.get("title").asString()).isEqualTo(title);
  }

  @Test
  void swaggerUi_isServedToAuthenticatedCallers() {
    HttpResponse<String> page = app.sendAs(TOKENS.get("viewer-ml"), "GET", "/swagger-ui/index.html", null, null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("swagger-ui");
  }

  @Test
  void rolloutPage_isServedWithoutCredentials_andHoldsNoData() {
    HttpResponse<String> page = app.sendAs(null, "GET", "/ui/", null, null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(page.body()).contains("<title>Sluice rollouts</title>").doesNotContain("/api/v1/namespaces/ml");
    HttpResponse<String> bare = app.sendAs(null, "GET", "/ui", null, null);
    assertThat(bare.statusCode()).isEqualTo(302);
    assertThat(bare.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/ui/"));
    HttpResponse<String> script = app.sendAs(null, "GET", "/ui/ui.js", null, null);
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("javascript"));
  }

  @Test
  void aWrongToken_isTold_exactlyWhatAMissingOneIs() {
    HttpResponse<String> missing = app.sendAs(null, "GET", "/api/v1/tokens", null, null);
    HttpResponse<String> wrong = app.sendAs("sluice_wrong", "GET", "/api/v1/tokens", null, null);
    HttpResponse<String> malformed = app.send("GET", "/api/v1/tokens", null, null, "Authorization", "Basic YWRtaW46YWRtaW4=");
    for (HttpResponse<String> r : List.of(missing, wrong, malformed)) {
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(JSON.readTree(r.body()).get("detail").asString()).isEqualTo(ProblemResponses.UNAUTHORIZED);
      assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"sluice\"");
    }
  }

  @Test
  void everyOperationOfTheOpenApiDocument_hasARule() {
    HttpResponse<String> docs = app.sendAs(TOKENS.get("viewer-ml"), "GET", "/v3/api-docs", null, null);
    assertThat(docs.statusCode()).isEqualTo(200);
    JsonNode paths = JSON.readTree(docs.body()).get("paths");
    List<String> operations = new ArrayList<>();
    for (Map.Entry<String, JsonNode> path : paths.properties()) {
      for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
        String method = operation.getKey().toUpperCase(java.util.Locale.ROOT);
        String concrete = path.getKey().replaceAll("\\{[^}]+}", "x");
        operations.add(method + " " + path.getKey());
        assertThat(ApiRules.match(method, concrete)).as("a rule for %s %s", method, path.getKey()).isPresent();
      }
    }
    assertThat(operations).hasSizeGreaterThanOrEqualTo(15);
  }
}
