package dev.sluice.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import dev.sluice.model.ModelRoute;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/** Every input case against its golden Envoy output, for each role. */
class GoldenTranslationTest {
  /** A sidecar in a pod serving the mtls case's {@code search/embedder} on 50051 (MUTUAL inbound). */
  static final ProxyGroup SIDECAR = ProxyGroup.sidecar(new SidecarScope("search", "embedder", List.of(50051)));
  static final List<ProxyGroup> GROUPS = List.of(ProxyGroup.DEFAULT_GATEWAY, ProxyGroup.PROXYLESS, SIDECAR);
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final YAMLMapper YAML =
      YAMLMapper.builder()
          .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
          .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
          .build();

  static List<String> cases() throws IOException {
    return GoldenFiles.cases();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void translationMatchesGoldenFiles(String name) throws IOException {
    List<ModelRoute> input = GoldenFiles.input(name);
    EnvoyTranslator translator = GoldenFiles.translator(name);
    Map<ProxyGroup, Translation> byGroup = new LinkedHashMap<>();
    GROUPS.forEach(g -> byGroup.put(g, translator.translateAll(input, g)));

    List<String> diffs = new ArrayList<>();
    check(name, "listeners", byGroup, XdsResources::listeners, diffs);
    check(name, "routes", byGroup, XdsResources::routes, diffs);
    check(name, "clusters", byGroup, XdsResources::clusters, diffs);
    check(name, "endpoints", byGroup, XdsResources::endpoints, diffs);
    String rejected = rejected(byGroup);
    if (rejected != null) {
      addIfPresent(diffs, GoldenFiles.compare(name + ".rejected.yaml", rejected));
    } else {
      addIfPresent(diffs, GoldenFiles.noRejections(name));
    }

    assertThat(diffs).as(String.join("\n\n", diffs)).isEmpty();
  }

  @AfterAll
  static void deleteStaleOutputs() throws IOException {
    GoldenFiles.deleteStale(GoldenFiles.cases());
  }

  private static void check(
      String name,
      String type,
      Map<ProxyGroup, Translation> byGroup,
      Function<XdsResources, List<? extends Message>> select,
      List<String> diffs)
      throws IOException {
    ObjectNode doc = JSON.createObjectNode();
    byGroup.forEach(
        (group, t) -> {
          ArrayNode list = doc.putArray(group.key());
          select.apply(t.resources()).forEach(m -> list.add(JSON.readTree(EnvoyJson.print(m))));
        });
    addIfPresent(diffs, GoldenFiles.compare(name + "." + type + ".yaml", YAML.writeValueAsString(doc)));
  }

  private static String rejected(Map<ProxyGroup, Translation> byGroup) {
    Translation any = byGroup.values().iterator().next();
    if (any.rejected().isEmpty()) {
      return null;
    }
    JsonNode tree = JSON.valueToTree(any.rejected());
    return YAML.writeValueAsString(tree);
  }

  private static void addIfPresent(List<String> diffs, String diff) {
    if (diff != null) {
      diffs.add(diff);
    }
  }
}
