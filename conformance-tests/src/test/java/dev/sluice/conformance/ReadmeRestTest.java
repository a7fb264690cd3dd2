package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The README's curl examples, run as written by bash and curl against a control plane started as the
 * quickstart starts it (store in {@code ./data}, no token configured, so it makes the admin token the
 * examples read), with only the port changed; and its shell recipe for a token and its hash, whose
 * output configures a second control plane that then takes the token.
 */
class ReadmeRestTest {

  @Test
  void theQuickstartsCalls_passWithTheGeneratedAdminToken(@TempDir Path dir) throws Exception {
    try (ControlPlane cp = ControlPlane.prepare(dir.resolve("data")).withGeneratedAdminToken()) {
      cp.start();
      String port = Integer.toString(cp.restPort());
      Files.writeString(dir.resolve("route.json"), Routes.single("fraud-scorer.ml", "10.0.0.11:8080", null));

      Bash canary = bash(dir, Readme.block("sh", "export SLUICE_TOKEN=$(cat data/admin-token)"), port);
      assertThat(canary.exit()).as(canary.output()).isZero();
      assertThat(canary.output()).doesNotContain("\"status\":401", "\"status\":403");
      JsonNode route = cp.get("/api/v1/namespaces/ml/modelroutes/fraud-scorer").body();
      assertThat(route.get("spec").get("versions").get(1).get("weight").asInt()).as("the weights call passed").isEqualTo(50);
      assertThat(canary.output()).contains("\"gateway:10000\"").as("the envoy preview");

      String bootstrap = Readme.block("sh", "/api/v1/namespaces/ml/bootstrap -H \"Authorization");
      List<String> lines = bootstrap.lines().toList();
      int delete = lines.indexOf(lines.stream().filter(l -> l.contains("-X DELETE")).findFirst().orElseThrow());
      String mint = String.join("\n", lines.subList(0, delete)).replace("envoy -c envoy.json", "");
      Bash minted = bash(dir, "export SLUICE_TOKEN=$(cat data/admin-token)\n" + mint, port);
      assertThat(minted.exit()).as(minted.output()).isZero();
      assertThat(Files.readString(dir.resolve("envoy.json"))).contains("\"staticResources\"", "\"gateway-1\"");
      JsonNode tokens = ControlPlane.JSON.readTree(minted.output());
      String id = tokens.get("items").get(0).get("id").asString();
      Bash revoked = bash(dir, "export SLUICE_TOKEN=$(cat data/admin-token)\n" + lines.get(delete).replace("<id>", id),
          port);
      assertThat(revoked.exit()).as(revoked.output()).isZero();
      assertThat(cp.get("/api/v1/tokens/" + id).body().get("revokedAt").isNull()).as("revoked").isFalse();

      Bash anonymous = bash(dir, "curl -s localhost:8080/api/v1/proxies", port);
      assertThat(anonymous.output()).contains("\"status\":401");
    }
  }

  @Test
  void theTokenRecipe_makesAHashTheControlPlaneTakes(@TempDir Path dir) throws Exception {
    Bash recipe = bash(dir, Readme.block("sh", "echo \"hash:  sha256:"), "8080");
    assertThat(recipe.exit()).as(recipe.output()).isZero();
    String token = recipe.output().lines().filter(l -> l.startsWith("token: ")).findFirst().orElseThrow().substring(7);
    String hash = recipe.output().lines().filter(l -> l.startsWith("hash:  ")).findFirst().orElseThrow().substring(7);
    try (ControlPlane cp = ControlPlane.prepare(dir.resolve("data")).withArgs("--sluice.api.tokens[1].name=pipeline",
        "--sluice.api.tokens[1].hash=" + hash, "--sluice.api.tokens[1].grants[0].role=editor",
        "--sluice.api.tokens[1].grants[0].namespaces[0]=ml")) {
      cp.start();
      String port = Integer.toString(cp.restPort());
      Bash put = bash(dir, "curl -s -o /dev/null -w '%{http_code}' -X PUT localhost:8080/api/v1/namespaces/ml/modelroutes/r"
          + " -H 'Authorization: Bearer " + token + "' -H 'Content-Type: application/json' -d @route.json", port,
          Routes.single("r.ml", "10.0.0.1:8080", null));
      assertThat(put.output()).isEqualTo("201");
      Bash other = bash(dir, "curl -s -o /dev/null -w '%{http_code}' -X PUT localhost:8080/api/v1/namespaces/prod/modelroutes/r"
          + " -H 'Authorization: Bearer " + token + "' -H 'Content-Type: application/json' -d @route.json", port);
      assertThat(other.output()).as("editor in ml only").isEqualTo("403");
    }
  }

  record Bash(int exit, String output) {}

  /** Runs {@code script} with bash in {@code dir}, the README's port 8080 replaced by {@code port}. */
  private static Bash bash(Path dir, String script, String port, String... routeJson) throws Exception {
    if (routeJson.length > 0) {
      Files.writeString(dir.resolve("route.json"), routeJson[0]);
    }
    Path file = dir.resolve("script.sh");
    Files.writeString(file, "set -e\n" + script.replace("localhost:8080", "localhost:" + port), StandardCharsets.UTF_8);
    Process p = new ProcessBuilder("bash", file.toString()).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Bash(p.exitValue(), output);
  }
}
