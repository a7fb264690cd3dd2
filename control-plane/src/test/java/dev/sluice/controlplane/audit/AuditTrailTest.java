package dev.sluice.controlplane.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sluice.controlplane.RunningApp;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit log of a running control plane, read from the logger {@code sluice.audit}: every write,
 * accepted, identical, dry or refused, gives exactly one JSON line, and reads give none.
 */
class AuditTrailTest {
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final String JSON_TYPE = "application/json";
  static final Set<String> FIELDS = Set.of("time", "actor", "action", "resource", "dryRun", "result", "status",
      "generationBefore", "generationAfter", "resourceVersionAfter", "reason", "errors");

  @TempDir static Path store;
  static RunningApp app;
  static ListAppender<ILoggingEvent> audit;
  static int expectedLines;

  @BeforeAll
  static void start() {
    app = RunningApp.start(store);
    // After start-up: Spring Boot resets Logback while it starts.
    audit = new ListAppender<>();
    audit.start();
    ((Logger) LoggerFactory.getLogger(AuditLog.LOGGER)).addAppender(audit);
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger(AuditLog.LOGGER)).detachAppender(audit);
    app.close();
  }

  static String route(String host, int w1, int w2) {
    return """
        {"spec": {"hosts": ["%s"], "port": 8080,
          "versions": [{"name": "v1", "weight": %d, "endpoints": ["10.0.0.1:80"]},
                       {"name": "v2", "weight": %d, "endpoints": ["10.0.0.2:80"]}]}}
        """.formatted(host, w1, w2);
  }

  @Test
  void everyRouteWriteKind_givesExactlyOneLine_withGenerationsBeforeAndAfter() {
    String path = "/api/v1/namespaces/ml/modelroutes/scorer";

    Audited create = audited("PUT", path, JSON_TYPE, route("scorer.ml", 100, 0));
    assertThat(create.status()).isEqualTo(201);
    assertLine(create.line(), "create", "ok", 201, null, 1L);
    assertThat(create.line().get("resourceVersionAfter").asString())
        .isEqualTo(JSON.readTree(create.response().body()).get("metadata").get("resourceVersion").asString());
    assertThat(create.line().get("resource"))
        .isEqualTo(JSON.readTree("{\"kind\":\"ModelRoute\",\"namespace\":\"ml\",\"name\":\"scorer\"}"));
    assertThat(create.line().get("actor")).isEqualTo(JSON.readTree("{\"remoteAddress\":\"127.0.0.1\",\"principal\":\"admin\"}"));
    assertThat(create.line().get("dryRun").asBoolean()).isFalse();
    assertThat(create.line().get("reason").isNull()).isTrue();
    assertThat(create.line().get("errors")).isEmpty();
    assertThat(create.line().get("time").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");

    Audited identical = audited("PUT", path, JSON_TYPE, route("scorer.ml", 100, 0));
    assertLine(identical.line(), "update", "unchanged", 200, 1L, 1L);

    assertLine(audited("PUT", path, JSON_TYPE, route("scorer.ml", 90, 10)).line(), "update", "ok", 200, 1L, 2L);
    assertLine(audited("PATCH", path, "application/merge-patch+json", "{\"spec\": {\"timeout\": \"2s\"}}").line(),
        "patch", "ok", 200, 2L, 3L);
    assertLine(audited("PUT", path + "/weights", JSON_TYPE, "{\"v1\": 50, \"v2\": 50}").line(), "weights", "ok", 200, 3L, 4L);
    assertLine(audited("POST", path + "/rollback?revision=1", null, null).line(), "rollback", "ok", 200, 4L, 5L);

    Audited deleted = audited("DELETE", path, null, null);
    assertLine(deleted.line(), "delete", "ok", 200, 5L, null);
    assertThat(deleted.line().get("resourceVersionAfter").isNull()).isTrue();
  }

  @Test
  void dryRuns_areMarked_andReportTheStoredGenerationAsBothBeforeAndAfter() {
    String path = "/api/v1/namespaces/ml/modelroutes/dry";
    Audited wouldCreate = audited("PUT", path + "?dryRun=All", JSON_TYPE, route("dry.ml", 100, 0));
    assertLine(wouldCreate.line(), "create", "ok", 200, null, null);
    assertThat(wouldCreate.line().get("dryRun").asBoolean()).isTrue();

    audited("PUT", path, JSON_TYPE, route("dry.ml", 100, 0));
    Audited wouldPatch = audited("PATCH", path + "?dryRun=All", "application/merge-patch+json", "{\"spec\": {\"timeout\": \"3s\"}}");
    assertLine(wouldPatch.line(), "patch", "ok", 200, 1L, 1L);
    assertThat(wouldPatch.line().get("dryRun").asBoolean()).isTrue();

    Audited refusedDry = audited("PUT", path + "/weights?dryRun=All", JSON_TYPE, "{\"v1\": 90, \"v2\": 30}");
    assertLine(refusedDry.line(), "weights", "rejected", 422, 1L, 1L);
    assertThat(refusedDry.line().get("dryRun").asBoolean()).isTrue();
  }

  @Test
  void refusedWrites_areRejectedLines_namingTheStatusReasonAndFields() {
    String path = "/api/v1/namespaces/ml/modelroutes/guarded";
    String stored = JSON.readTree(audited("PUT", path, JSON_TYPE, route("guarded.ml", 100, 0)).response().body())
        .get("metadata").get("resourceVersion").asString();

    Audited invalid = audited("PUT", path, JSON_TYPE, route("guarded.ml", 90, 30));
    assertLine(invalid.line(), "update", "rejected", 422, 1L, 1L);
    assertThat(invalid.line().get("reason").asString()).contains("problem");
    assertThat(fields(invalid.line())).contains("spec.versions");
    assertThat(invalid.line().get("resourceVersionAfter").asString()).isEqualTo(stored);

    Audited stale = audited("PUT", path, JSON_TYPE, route("guarded.ml", 80, 20), "If-Match", "\"0\"");
    assertLine(stale.line(), "update", "rejected", 409, 1L, 1L);
    assertThat(fields(stale.line())).containsExactly("metadata.resourceVersion");
    assertThat(stale.line().get("reason").asString()).contains("resourceVersion " + stored);

    Audited hostTaken = audited("PUT", "/api/v1/namespaces/ml/modelroutes/thief", JSON_TYPE, route("guarded.ml", 100, 0));
    assertLine(hostTaken.line(), "create", "rejected", 409, null, null);
    assertThat(fields(hostTaken.line())).containsExactly("spec.hosts[0]");

    Audited malformed = audited("PUT", path, JSON_TYPE, "{\"spec\": {\"hosts\": [");
    assertLine(malformed.line(), "update", "rejected", 400, 1L, 1L);

    Audited tooLarge = audited("PUT", path, JSON_TYPE, "{\"spec\": \"" + "x".repeat(1024 * 1024) + "\"}");
    assertLine(tooLarge.line(), "update", "rejected", 413, 1L, 1L);
    assertThat(fields(tooLarge.line())).containsExactly("(body)");

    // Refused by Spring before the handler runs: still one line, with the status's reason.
    Audited noRevision = audited("POST", path + "/rollback", null, null);
    assertLine(noRevision.line(), "rollback", "rejected", 400, 1L, 1L);

    Audited missing = audited("DELETE", "/api/v1/namespaces/ml/modelroutes/nothing-here", null, null);
    assertLine(missing.line(), "delete", "rejected", 404, null, null);
    assertThat(fields(missing.line())).containsExactly("metadata.name");
  }

  @Test
  void tokenMintAndRevoke_nameTheTokenById_andNeverHoldTheToken() {
    Audited mint = audited("POST", "/api/v1/namespaces/ml/bootstrap", JSON_TYPE,
        "{\"serviceAccount\": \"gateway\", \"nodeId\": \"edge-1\", \"ttl\": \"2h\"}");
    assertThat(mint.status()).isEqualTo(201);
    assertThat(mint.response().body()).as("the bootstrap carries the token").contains("eyJ");
    String id = mint.response().headers().firstValue("Sluice-Token-Id").orElseThrow();
    assertLine(mint.line(), "mint-token", "ok", 201, null, null);
    JsonNode resource = mint.line().get("resource");
    assertThat(resource.get("kind").asString()).isEqualTo("BootstrapToken");
    assertThat(resource.get("id").asString()).isEqualTo(id);
    assertThat(resource.get("namespace").asString()).isEqualTo("ml");
    assertThat(resource.get("serviceAccount").asString()).isEqualTo("gateway");
    assertThat(resource.get("nodeId").asString()).isEqualTo("edge-1");
    assertThat(resource.get("role").asString()).isEqualTo("gateway");
    assertThat(resource.get("ttl").asString()).isEqualTo("2h");
    assertThat(resource.get("expiresAt").asString()).isNotBlank();
    assertThat(mint.raw()).doesNotContain("eyJ");

    Audited revoke = audited("DELETE", "/api/v1/tokens/" + id, null, null);
    assertThat(revoke.status()).isEqualTo(204);
    assertLine(revoke.line(), "revoke-token", "ok", 204, null, null);
    assertThat(revoke.line().get("resource").get("id").asString()).isEqualTo(id);
    assertThat(revoke.line().get("resource").get("nodeId").asString()).isEqualTo("edge-1");

    Audited refused = audited("POST", "/api/v1/namespaces/ml/bootstrap", JSON_TYPE, "{\"serviceAccount\": \"Not_A_Name\"}");
    assertLine(refused.line(), "mint-token", "rejected", 422, null, null);
    assertThat(fields(refused.line())).contains("serviceAccount", "nodeId");

    Audited unknown = audited("DELETE", "/api/v1/tokens/no-such-token", null, null);
    assertLine(unknown.line(), "revoke-token", "rejected", 404, null, null);
    assertThat(unknown.line().get("resource").get("id").asString()).isEqualTo("no-such-token");
  }

  @Test
  void refusedRequests_areAuditedWithTheirPrincipal() {
    Audited anonymous = auditedAs(null, "GET", "/api/v1/tokens");
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.line().get("actor").get("principal").isNull()).isTrue();
    assertThat(anonymous.line().get("action").asString()).isEqualTo("access");
    assertThat(anonymous.line().get("result").asString()).isEqualTo("rejected");
    assertThat(anonymous.line().get("resource").get("kind").asString()).isEqualTo("Request");
    assertThat(anonymous.line().get("resource").get("name").asString()).isEqualTo("/api/v1/tokens");

    Audited wrongToken = auditedAs("sluice_not-a-token", "DELETE", "/api/v1/namespaces/ml/modelroutes/scorer");
    assertLine(wrongToken.line(), "delete", "rejected", 401, null, null);
    // A method no rule lists is refused before any handler, and audited with who asked.
    Audited unlisted = audited("POST", "/api/v1/namespaces/ml/modelroutes", JSON_TYPE, "{}");
    assertThat(unlisted.status()).isEqualTo(403);
    assertThat(unlisted.line().get("actor").get("principal").asString()).isEqualTo("admin");
  }

  @Test
  void readsAndOtherRequests_areNotAudited() {
    int before = lines().size();
    assertThat(app.get("/api/v1/modelroutes").statusCode()).isEqualTo(200);
    assertThat(app.get("/api/v1/namespaces/ml/modelroutes/nothing-here").statusCode()).isEqualTo(404);
    assertThat(app.get("/api/v1/tokens").statusCode()).isEqualTo(200);
    assertThat(app.get("/api/v1/trust-bundle").statusCode()).isEqualTo(200);
    // The next audited write is the next line: nothing was written for the requests above.
    Audited next = audited("DELETE", "/api/v1/tokens/after-reads", null, null);
    assertThat(lines()).hasSize(before + 1);
    assertThat(next.line().get("resource").get("id").asString()).isEqualTo("after-reads");
  }

  record Audited(HttpResponse<String> response, String raw, JsonNode line) {
    int status() {
      return response.statusCode();
    }
  }

  /** Sends one request with the admin token and returns the one line it added, checking that it added exactly one. */
  static Audited audited(String method, String path, String contentType, String body, String... headers) {
    return auditedAs(app.adminToken(), method, path, contentType, body, headers);
  }

  /** As {@link #audited}, with {@code token} (null: no credentials). */
  static Audited auditedAs(String token, String method, String path, String... headers) {
    return auditedAs(token, method, path, null, null, headers);
  }

  static Audited auditedAs(String token, String method, String path, String contentType, String body, String... headers) {
    assertThat(lines()).as("no late or duplicate line from an earlier request").hasSize(expectedLines);
    HttpResponse<String> response = app.sendAs(token, method, path, contentType, body, headers);
    expectedLines++;
    // The line is written as the request ends, which may be just after the client has its response.
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (lines().size() < expectedLines && System.nanoTime() < deadline) {
      LockSupport.parkNanos(1_000_000);
    }
    List<String> lines = lines();
    assertThat(lines).as("lines after %s %s", method, path).hasSize(expectedLines);
    String raw = lines.get(lines.size() - 1);
    assertThat(raw).doesNotContain("\n");
    JsonNode line = JSON.readTree(raw);
    assertThat(line.propertyNames()).containsExactlyInAnyOrderElementsOf(FIELDS);
    assertThat(line.get("status").asInt()).isEqualTo(response.statusCode());
    return new Audited(response, raw, line);
  }

  static void assertLine(JsonNode line, String action, String result, int status, Long generationBefore, Long generationAfter) {
    assertThat(line.get("action").asString()).as("action").isEqualTo(action);
    assertThat(line.get("result").asString()).as("result").isEqualTo(result);
    assertThat(line.get("status").asInt()).as("status").isEqualTo(status);
    assertThat(line.get("generationBefore").isNull() ? null : line.get("generationBefore").asLong())
        .as("generationBefore").isEqualTo(generationBefore);
    assertThat(line.get("generationAfter").isNull() ? null : line.get("generationAfter").asLong())
        .as("generationAfter").isEqualTo(generationAfter);
    if (result.equals("rejected")) {
      assertThat(line.get("reason").asString()).as("reason").isNotBlank();
    }
  }

  static List<String> fields(JsonNode line) {
    return StreamSupport.stream(line.get("errors").spliterator(), false).map(e -> e.get("field").asString()).toList();
  }

  static List<String> lines() {
    synchronized (audit) { // Logback appends while holding the appender's monitor
      return audit.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
  }
}
