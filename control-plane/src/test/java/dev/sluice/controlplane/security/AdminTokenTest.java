package dev.sluice.controlplane.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.controlplane.RunningApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standalone control plane started with no API token writes an admin token into its store, readable
 * by its owner only, and uses the same one after a restart; configured tokens replace it; a bad token
 * configuration stops start-up naming the field; the loopback exception is off unless asked for.
 */
class AdminTokenTest {

  @Test
  void firstStart_writesAnAdminToken0600_andARestartKeepsIt(@TempDir Path store) throws Exception {
    String first;
    try (RunningApp app = RunningApp.start(store)) {
      Path file = store.resolve("admin-token");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
      first = app.adminToken();
      assertThat(first).startsWith("sluice_").hasSizeGreaterThan(40);
      assertThat(app.get("/api/v1/tokens").statusCode()).isEqualTo(200);
      assertThat(app.sendAs(null, "GET", "/api/v1/tokens", null, null).statusCode()).isEqualTo(401);
      assertThat(app.sendAs(null, "GET", "/api/v1/modelroutes", null, null).statusCode())
          .as("anonymous-loopback is off by default").isEqualTo(401);
    }
    try (RunningApp again = RunningApp.start(store)) {
      assertThat(again.adminToken()).isEqualTo(first);
      assertThat(again.get("/api/v1/tokens").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void anonymousLoopback_letsALocalCallerInWithoutCredentials_butNotAWrongToken(@TempDir Path store) {
    try (RunningApp app = RunningApp.start(store, "--sluice.api.anonymous-loopback=true")) {
      assertThat(app.sendAs(null, "GET", "/api/v1/tokens", null, null).statusCode()).isEqualTo(200);
      assertThat(app.sendAs("sluice_wrong", "GET", "/api/v1/tokens", null, null).statusCode()).isEqualTo(401);
      assertThat(app.sendAs(null, "GET", "/api/v1/tokens", null, null, "X-Forwarded-For", "10.1.2.3").statusCode())
          .as("a request a proxy passed on is not local").isEqualTo(401);
    }
  }

  @Test
  void onKubernetes_aForwardedForHeader_doesNotChooseTheCallersAddress(@TempDir Path store) {
    // Spring Boot trusts X-Forwarded-For from private addresses on a cloud platform unless told not to.
    try (RunningApp app = RunningApp.start(store, "--spring.main.cloud-platform=kubernetes",
        "--sluice.api.failed-authentications.limit=3")) {
      for (int i = 0; i < 3; i++) {
        assertThat(app.sendAs("sluice_guess" + i, "GET", "/api/v1/tokens", null, null, "X-Forwarded-For", "10.0.0." + i)
            .statusCode()).isEqualTo(401);
      }
      assertThat(app.sendAs("sluice_guess", "GET", "/api/v1/tokens", null, null, "X-Forwarded-For", "10.0.0.99")
          .statusCode()).as("one address, whatever the header says").isEqualTo(429);
    }
  }

  @Test
  void repeatedFailures_fromOneAddress_get429_evenWithTheRightTokenThen(@TempDir Path store) {
    try (RunningApp app = RunningApp.start(store, "--sluice.api.failed-authentications.limit=3")) {
      for (int i = 0; i < 3; i++) {
        assertThat(app.sendAs("sluice_guess" + i, "GET", "/api/v1/tokens", null, null).statusCode()).isEqualTo(401);
      }
      var blocked = app.get("/api/v1/tokens");
      assertThat(blocked.statusCode()).isEqualTo(429);
      assertThat(blocked.headers().firstValue("Retry-After")).isPresent();
      assertThat(blocked.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      assertThat(app.sendAs(null, "GET", "/actuator/health", null, null).statusCode())
          .as("public endpoints still answer").isEqualTo(200);
    }
  }

  @Test
  void configuredTokens_replaceTheAdminToken(@TempDir Path store) {
    String hash = TokenHash.of(TokenHash.newToken(new java.security.SecureRandom()), new java.security.SecureRandom()).toString();
    try (RunningApp app = RunningApp.start(store, "--sluice.api.tokens[0].name=ops", "--sluice.api.tokens[0].hash=" + hash,
        "--sluice.api.tokens[0].grants[0].role=viewer")) {
      assertThat(Files.exists(store.resolve("admin-token"))).isFalse();
    }
  }

  @Test
  void aTokenFile_addsItsTokens(@TempDir Path store, @TempDir Path config) throws Exception {
    java.security.SecureRandom random = new java.security.SecureRandom();
    String token = TokenHash.newToken(random);
    Path file = Files.writeString(config.resolve("tokens.yaml"), """
        tokens:
          - name: fraud-pipeline
            hash: %s
            grants:
              - {role: editor, namespaces: [ml]}
        """.formatted(TokenHash.of(token, random)));
    try (RunningApp app = RunningApp.start(store, "--sluice.api.token-file=" + file)) {
      assertThat(Files.exists(store.resolve("admin-token"))).isFalse();
      assertThat(app.sendAs(token, "GET", "/api/v1/namespaces/ml/modelroutes", null, null).statusCode()).isEqualTo(200);
      assertThat(app.sendAs(token, "GET", "/api/v1/namespaces/prod/modelroutes", null, null).statusCode()).isEqualTo(403);
    }
  }

  @Test
  void aBadTokenConfiguration_stopsStartUp_namingTheField(@TempDir Path store) {
    assertThatThrownBy(() -> RunningApp.start(store, "--sluice.api.tokens[0].name=ops",
        "--sluice.api.tokens[0].hash=hunter2", "--sluice.api.tokens[0].grants[0].role=viewer"))
        .hasStackTraceContaining("sluice.api.tokens[0].hash must be sha256:");
  }
}
