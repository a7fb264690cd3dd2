package dev.sluice.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import dev.sluice.translate.check.ProtoRules;
import dev.sluice.translate.check.Violation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every resource the golden cases translate to passes the PGV rules Envoy will check. */
class TranslatedResourcesPassPgvTest {

  static List<String> cases() throws IOException {
    return GoldenFiles.cases();
  }

  @ParameterizedTest
  @MethodSource("cases")
  void everyTranslatedResource_passesEnvoysPgvRules(String name) throws IOException {
    List<String> violations = new ArrayList<>();
    int checked = 0;
    for (ProxyGroup group : GoldenTranslationTest.GROUPS) {
      XdsResources resources = GoldenFiles.translator(name).translateAll(GoldenFiles.input(name), group).resources();
      checked += resources.size();
      Stream.of(resources.listeners(), resources.routes(), resources.clusters(), resources.endpoints())
          .flatMap(List::stream)
          .forEach(resource -> {
            for (Violation v : ProtoRules.check(resource, EnvoyJson.PACKED)) {
              violations.add(group + " " + resourceName(resource) + ": " + v);
            }
          });
    }
    assertThat(checked).isPositive();
    assertThat(violations).isEmpty();
  }

  private static String resourceName(Message resource) {
    var nameField = resource.getDescriptorForType().findFieldByName("name");
    return nameField != null ? (String) resource.getField(nameField) : resource.getDescriptorForType().getName();
  }
}
