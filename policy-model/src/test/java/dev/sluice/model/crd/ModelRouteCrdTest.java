package dev.sluice.model.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The committed CRD is the generator's output. Run with {@code -Dgolden.update=true} to rewrite it
 * after a model change; review the diff like any other.
 */
class ModelRouteCrdTest {
  static final Path COMMITTED = Path.of("..", "charts", "sluice", "crds", ModelRouteCrd.NAME + ".yaml");

  @Test
  void theCommittedCrdIsTheGeneratedOne() throws IOException {
    String generated = ModelRouteCrd.yaml();
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(COMMITTED.getParent());
      Files.writeString(COMMITTED, generated, StandardCharsets.UTF_8);
    }
    assertThat(COMMITTED).as("run ./mvnw -pl policy-model test -Dgolden.update=true and commit the file").exists();
    assertThat(Files.readString(COMMITTED, StandardCharsets.UTF_8)).isEqualTo(generated);
  }

  @Test
  void everyFieldOfTheModelIsInTheSchema() {
    var spec = ModelRouteCrd.specSchema();
    assertThat(spec.at("/properties/versions/items/properties").propertyNames())
        .containsExactly("name", "weight", "endpoints", "selector", "service", "serviceAccount");
    assertThat(spec.at("/properties/protocol/enum").toString()).isEqualTo("[\"HTTP\",\"GRPC\"]");
    assertThat(spec.at("/properties/tls/properties/mode/enum").toString()).contains("MUTUAL", "PERMISSIVE", "DISABLED");
    assertThat(spec.at("/properties/rules/items/properties/weights/additionalProperties/type").asString())
        .isEqualTo("integer");
  }
}
