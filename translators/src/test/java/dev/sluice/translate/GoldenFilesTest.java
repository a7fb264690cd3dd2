package dev.sluice.translate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Golden files that no test compares are reported, so they fail the build instead of pinning nothing. */
class GoldenFilesTest {
  @TempDir Path dir;

  @Test
  void outputsOfNoCaseOrKind_andSettingsOfNoCase_areReported_whileComparedOnesAreNot() throws IOException {
    Path out = Files.createDirectories(dir.resolve("out"));
    Path settings = Files.createDirectories(dir.resolve("settings"));
    for (String file : List.of("split.listeners.yaml", "split.routes.yaml", "split.clusters.yaml",
        "split.endpoints.yaml", "split.rejected.yaml", "mtls.sidecar-inbound.yaml", "gone.routes.yaml",
        "split.secrets.yaml", "split.yaml")) {
      Files.writeString(out.resolve(file), "x");
    }
    Files.writeString(settings.resolve("split.yaml"), "trustDomain: a");
    Files.writeString(settings.resolve("gone.yaml"), "trustDomain: a");

    List<String> problems = GoldenFiles.unchecked(out, settings, List.of("split", "mtls"),
        Set.of("mtls.sidecar-inbound.yaml"));

    assertThat(problems).hasSize(4);
    assertThat(problems.get(0)).contains("gone.routes.yaml", "compared by no test");
    assertThat(problems.get(1)).contains("split.secrets.yaml");
    assertThat(problems.get(2)).contains("split.yaml");
    assertThat(problems.get(3)).contains("gone.yaml", "names no case");
  }

  @Test
  void theCommittedGoldenFiles_areAllCompared() throws IOException {
    assertThat(GoldenFiles.unchecked(GoldenFiles.OUT, GoldenFiles.SETTINGS, GoldenFiles.cases(),
        Set.of(SidecarInboundGoldenTest.FILE))).isEmpty();
  }
}
