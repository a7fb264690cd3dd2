package dev.sluice.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelRouteValidatorTest {

  static ModelRoute route(ModelRouteSpec spec) {
    return ModelRoute.of(Metadata.of("ml", "fraud-scorer"), spec);
  }

  static ModelRouteSpec spec(List<ModelVersion> versions) {
    return new ModelRouteSpec(List.of("fraud-scorer.ml"), 8080, null, versions, null, null);
  }

  static ModelVersion version(String name, Integer weight) {
    return new ModelVersion(name, weight, List.of("10.0.0.1:8080"));
  }

  static List<String> fields(ModelRoute route) {
    return ModelRouteValidator.validate(route).stream().map(FieldError::field).toList();
  }

  @Test
  void validRoute_hasNoErrors() {
    ModelRoute route = route(spec(List.of(version("v1", 90), version("v2", 10))));

    assertThat(ModelRouteValidator.validate(route)).isEmpty();
  }

  @Test
  void weightsThatDoNotSumTo100_areRejectedWithFieldPath() {
    List<FieldError> errors =
        ModelRouteValidator.validate(route(spec(List.of(version("v1", 90), version("v2", 30)))));

    assertThat(errors).containsExactly(new FieldError("spec.versions", "weights must sum to 100, they sum to 120"));
  }

  @Test
  void negativeWeight_isRejectedAtItsIndex() {
    assertThat(fields(route(spec(List.of(version("v1", 100), version("v2", -5))))))
        .containsExactly("spec.versions[1].weight");
  }

  @Test
  void emptyVersionList_isRejected() {
    assertThat(fields(route(spec(List.of())))).containsExactly("spec.versions");
  }

  @Test
  void duplicateVersionNames_areRejected() {
    assertThat(fields(route(spec(List.of(version("v1", 50), version("v1", 50))))))
        .containsExactly("spec.versions[1].name");
  }

  @Test
  void endpointsThatAreNotIpAndPort_areRejectedEach() {
    ModelVersion v =
        new ModelVersion("v1", 100, List.of("10.0.0.1", "10.0.0.1:0", "10.0.0.1:70000", "model:80", "[::1]:80", "10.0.0.2:80"));

    assertThat(fields(route(spec(List.of(v)))))
        .containsExactly(
            "spec.versions[0].endpoints[0]", "spec.versions[0].endpoints[1]",
            "spec.versions[0].endpoints[2]", "spec.versions[0].endpoints[3]");
  }

  @Test
  void everyErrorOfADocument_isReportedTogether() {
    ModelRouteSpec spec =
        new ModelRouteSpec(
            List.of("Not_A_Host"),
            0,
            null,
            List.of(new ModelVersion("V1", 120, List.of())),
            "2 seconds",
            new RetryPolicy(11, "0s", List.of("5xx", "on-tuesdays", "5xx")));
    ModelRoute route = ModelRoute.of(new Metadata("Fraud", "ml_ns", Map.of(), null, null), spec);

    assertThat(fields(route))
        .containsExactlyInAnyOrder(
            "metadata.name", "metadata.namespace", "spec.hosts[0]", "spec.port",
            "spec.versions[0].name", "spec.versions[0].weight", "spec.versions[0].endpoints",
            "spec.timeout", "spec.retries.attempts", "spec.retries.perTryTimeout",
            "spec.retries.on[1]", "spec.retries.on[2]");
  }

  @Test
  void missingSpecAndName_areNamed() {
    assertThat(fields(new ModelRoute(null, null, new Metadata(null, null, null, null, null), null, null)))
        .containsExactly("metadata.name", "spec");
  }

  @Test
  void wrongApiVersionOrKind_isRejected() {
    ModelRoute route = new ModelRoute("v1", "Service", Metadata.of("ml", "a"), spec(List.of(version("v1", 100))), null);

    assertThat(fields(route)).containsExactly("apiVersion", "kind");
  }

  @Test
  void durations_useTheGoForm() {
    assertThat(Durations.parse("500ms")).hasValue(java.time.Duration.ofMillis(500));
    assertThat(Durations.parse("1m30s")).hasValue(java.time.Duration.ofSeconds(90));
    assertThat(Durations.parse("1.5s")).hasValue(java.time.Duration.ofMillis(1500));
    assertThat(Durations.parse("24h")).hasValue(java.time.Duration.ofHours(24));
    assertThat(Durations.parse("2")).isEmpty();
    assertThat(Durations.parse("PT2S")).isEmpty();
    assertThat(Durations.parse("-1s")).isEmpty();
  }
}
