package dev.sluice.controlplane.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import dev.sluice.controlplane.RunningApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code sluice.audit.file}: the audit lines go to that file only, as bare JSON lines. */
@ExtendWith(OutputCaptureExtension.class)
class AuditFileTest {
  @TempDir Path store;
  @TempDir Path logs;

  @Test
  void auditFile_holdsBareJsonLines_thatTheApplicationLogDoesNot(CapturedOutput output) {
    Path file = logs.resolve("audit").resolve("audit.jsonl"); // its folder does not exist yet
    try (RunningApp app = RunningApp.start(store, "--sluice.audit.file=" + file)) {
      app.send("PUT", "/api/v1/namespaces/ml/modelroutes/filed", "application/json", """
          {"spec": {"hosts": ["filed.ml"], "port": 8080, "versions": [{"name": "v1", "weight": 100, "endpoints": ["10.0.0.1:80"]}]}}
          """);
      app.send("DELETE", "/api/v1/tokens/no-such-token", null, null);

      List<String> lines = awaitLines(file, 2);
      assertThat(lines).hasSize(2).allSatisfy(line -> assertThat(line).startsWith("{").endsWith("}"));
      JsonNode created = JsonMapper.builder().build().readTree(lines.get(0));
      assertThat(created.get("action").asString()).isEqualTo("create");
      assertThat(created.get("resource").get("name").asString()).isEqualTo("filed");
      assertThat(output.getOut()).as("the application log").contains("Tomcat started on port").doesNotContain("\"action\":\"create\"")
          .doesNotContain("\"action\":\"revoke-token\"");
    }
    assertThat(((Logger) LoggerFactory.getLogger(AuditLog.LOGGER)).isAdditive())
        .as("closing the application gives the audit logger back to the application log").isTrue();
  }

  private static List<String> awaitLines(Path file, int count) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    List<String> lines = read(file);
    while (lines.size() < count && System.nanoTime() < deadline) {
      LockSupport.parkNanos(2_000_000);
      lines = read(file);
    }
    return lines;
  }

  private static List<String> read(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
