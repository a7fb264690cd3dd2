package dev.sluice.injector.inject;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every golden AdmissionReview (see {@link GoldenFiles}) gives its golden answer; the answer's patch,
 * applied by an RFC 6902 implementation we did not write (fabric8's zjsonpatch), gives the golden
 * pod; and the injector shown its own output adds nothing.
 */
class InjectorGoldenTest {
  static final String PEM = "-----BEGIN CERTIFICATE-----\nTUlJQlRlc3Q=\n-----END CERTIFICATE-----\n";

  static Stream<String> cases() throws IOException {
    return GoldenFiles.cases().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void goldenReview_answersAsRecorded_andItsPatchGivesTheRecordedPod(String name) throws IOException {
    Injector injector = new Injector(GoldenFiles.settings(name));
    byte[] request = GoldenFiles.request(name);
    Injector.Outcome outcome = injector.review(request, () -> PEM);
    List<String> diffs = new ArrayList<>();
    add(diffs, GoldenFiles.compare(name + ".response.json", Json.pretty(outcome.response())));

    JsonNode response = outcome.response().path("response");
    JsonNode patched = null;
    if (response.has("patch")) {
      assertThat(response.path("patchType").asText()).isEqualTo("JSONPatch");
      JsonNode pod = Json.MAPPER.readTree(request).path("request").path("object");
      patched = io.fabric8.zjsonpatch.JsonPatch.apply(patch(response), pod);
    }
    add(diffs, GoldenFiles.compare(name + ".pod.json", patched == null ? null : Json.pretty(patched)));
    assertThat(diffs).as("golden mismatch for %s:\n%s", name, String.join("\n\n", diffs)).isEmpty();

    if (patched != null) {
      ObjectNode again = (ObjectNode) Json.MAPPER.readTree(request);
      ((ObjectNode) again.get("request")).set("object", patched);
      JsonNode second = injector.review(Json.write(again).getBytes(StandardCharsets.UTF_8), () -> PEM)
          .response().path("response");
      assertThat(second.path("allowed").asBoolean()).isTrue();
      assertThat(second.has("patch")).as("the injector patched its own output").isFalse();
    }
  }

  @Test
  void goldenDirectory_holdsNoFileOfAnyRemovedCase() throws IOException {
    assertThat(GoldenFiles.stale(GoldenFiles.cases())).as("stale golden files; run with -Dgolden.update=true")
        .isEmpty();
  }

  @Test
  void everyReadableUid_isEchoed() throws IOException {
    for (String name : GoldenFiles.cases()) {
      JsonNode in;
      try {
        in = Json.MAPPER.readTree(GoldenFiles.request(name));
      } catch (IOException notJson) {
        continue;
      }
      String uid = in.path("request").path("uid").asText("");
      JsonNode out = new Injector(GoldenFiles.settings(name)).review(GoldenFiles.request(name), () -> PEM)
          .response();
      assertThat(out.path("response").path("uid").asText()).as(name).isEqualTo(uid);
    }
  }

  static JsonNode patch(JsonNode response) throws IOException {
    return Json.MAPPER.readTree(Base64.getDecoder().decode(response.path("patch").asText()));
  }

  private static void add(List<String> diffs, String diff) {
    if (diff != null) {
      diffs.add(diff);
    }
  }
}
