package dev.sluice.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Validation of {@code spec.rollout}: every error names its field, all are reported together. */
class RolloutValidationTest {

  private static ModelRoute parse(String rollout) {
    String yaml = """
        apiVersion: sluice.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: fraud-scorer, namespace: ml}
        spec:
          hosts: [fraud-scorer.ml]
          port: 8080
          versions:
            - {name: v1, weight: 100, endpoints: ["10.0.0.1:8080"]}
            - {name: v2, weight: 0, endpoints: ["10.0.0.2:8080"]}
          rollout:
        """ + rollout.indent(4);
    var parsed = ModelRouteCodec.parse(yaml, ModelRouteCodec.Format.YAML);
    assertThat(parsed.errors()).as("form").isEmpty();
    return parsed.route();
  }

  private static List<FieldError> errors(String rollout) {
    return ModelRouteValidator.validate(parse(rollout));
  }

  @Test
  void fullRollout_isValid_andRoundTrips() {
    ModelRoute route = parse("""
        canary: v2
        steps: [1, 5, 25, 50, 100]
        interval: 30s
        analysis:
          successRate: {min: 99.5}
          latency: {p99Max: 300ms}
          minRequests: 200
          failureLimit: 3
          failures: {httpStatuses: [5xx, "429"], grpcStatuses: [UNAVAILABLE, INTERNAL]}
        webhooks:
          - {name: load-test, type: pre-step, url: "http://loadtester.ml/gate", timeout: 5s}
          - {name: page, type: rollback, url: "https://hooks.example.com/sluice"}
        """);

    assertThat(ModelRouteValidator.validate(route)).isEmpty();
    assertThat(ModelRouteCodec.parse(ModelRouteCodec.toYaml(route), ModelRouteCodec.Format.YAML).route())
        .isEqualTo(route);
    assertThat(route.spec().rollout().effectiveSteps()).containsExactly(1, 5, 25, 50, 100);
  }

  @Test
  void defaults_areTheDocumentedOnes() {
    Rollout rollout = parse("canary: v2").spec().rollout();

    assertThat(rollout.effectiveSteps()).containsExactly(5, 10, 25, 50);
    assertThat(rollout.effectiveInterval()).hasMinutes(1);
    RolloutAnalysis analysis = rollout.effectiveAnalysis();
    assertThat(analysis.successRate().min()).isEqualTo(99.0);
    assertThat(analysis.minRequests()).isEqualTo(100);
    assertThat(analysis.failureLimit()).isEqualTo(2);
    assertThat(analysis.latency()).isNull();
    assertThat(analysis.failures().httpStatuses()).containsExactly("5xx");
    assertThat(analysis.failures().grpcStatuses())
        .containsExactly("UNKNOWN", "DEADLINE_EXCEEDED", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS");
  }

  @Test
  void stepWeight_makesStepsUpToMaxWeight() {
    assertThat(parse("{canary: v2, stepWeight: 20, maxWeight: 70}").spec().rollout().effectiveSteps())
        .containsExactly(20, 40, 60, 70);
    assertThat(parse("{canary: v2, stepWeight: 10}").spec().rollout().effectiveSteps())
        .containsExactly(10, 20, 30, 40, 50);
  }

  @Test
  void unknownCanary_isRejectedNamingTheField() {
    assertThat(errors("canary: v9")).extracting(FieldError::field).containsExactly("spec.rollout.canary");
    assertThat(errors("canary: v9").get(0).message()).contains("'v9' is not one of spec.versions");
    assertThat(errors("steps: [5]")).extracting(FieldError::field).containsExactly("spec.rollout.canary");
  }

  @Test
  void canaryAsTheOnlyVersion_isRejected_butOtherVersionsWithoutWeightAreFine() {
    String yaml = """
        apiVersion: sluice.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: r, namespace: ml}
        spec:
          hosts: [r.ml]
          port: 8080
          versions:
            - {name: v2, weight: 100, endpoints: ["10.0.0.2:8080"]}
          rollout: {canary: v2}
        """;
    var errors = ModelRouteValidator.validate(ModelRouteCodec.parse(yaml, ModelRouteCodec.Format.YAML).route());
    assertThat(errors).extracting(FieldError::field).containsExactly("spec.rollout.canary");
    assertThat(errors.get(0).message()).contains("the only version");

    // A promoted canary: the split proxies are given while the rollout holds it at 100 %.
    String promoted = yaml.replace("- {name: v2, weight: 100", "- {name: v1, weight: 0, endpoints: [\"10.0.0.1:8080\"]}\n"
        + "    - {name: v2, weight: 100");
    var parsed = ModelRouteCodec.parse(promoted, ModelRouteCodec.Format.YAML);
    assertThat(parsed.errors()).isEmpty();
    assertThat(parsed.route().spec().versions()).hasSize(2);
    assertThat(ModelRouteValidator.validate(parsed.route())).isEmpty();
  }

  @Test
  void stepsThatDoNotIncrease_orLeaveTheRange_areRejectedEach() {
    var errors = errors("{canary: v2, steps: [5, 5, 3, 101, 0]}");

    assertThat(errors).extracting(FieldError::field).containsExactly(
        "spec.rollout.steps[1]", "spec.rollout.steps[2]", "spec.rollout.steps[3]", "spec.rollout.steps[4]");
    assertThat(errors.get(0).message()).contains("steps only increase");
    assertThat(errors("{canary: v2, steps: []}")).extracting(FieldError::field).containsExactly("spec.rollout.steps");
  }

  @Test
  void stepsAndStepWeight_areExclusive_andStepWeightStaysUnderMaxWeight() {
    assertThat(errors("{canary: v2, steps: [5], stepWeight: 5}")).extracting(FieldError::field)
        .containsExactly("spec.rollout.stepWeight");
    assertThat(errors("{canary: v2, stepWeight: 60, maxWeight: 50}")).extracting(FieldError::field)
        .containsExactly("spec.rollout.stepWeight");
    assertThat(errors("{canary: v2, maxWeight: 50}")).extracting(FieldError::field)
        .containsExactly("spec.rollout.maxWeight");
  }

  @Test
  void intervalUnderOneSecond_isRejected() {
    assertThat(errors("{canary: v2, interval: 500ms}")).extracting(FieldError::field)
        .containsExactly("spec.rollout.interval");
    assertThat(errors("{canary: v2, interval: 500ms}").get(0).message()).contains("at least 1s");
    assertThat(errors("{canary: v2, interval: soon}")).extracting(FieldError::field)
        .containsExactly("spec.rollout.interval");
    assertThat(errors("{canary: v2, interval: 1s}")).isEmpty();
  }

  @Test
  void analysisFields_areCheckedTogether() {
    var errors = errors("""
        canary: v2
        analysis:
          successRate: {min: 101}
          latency: {p99Max: fast}
          minRequests: 0
          failureLimit: 0
          failures: {httpStatuses: [5xx, "600", oops], grpcStatuses: [UNAVAILABLE, OK, unavailable]}
        """);

    assertThat(errors).extracting(FieldError::field).containsExactly(
        "spec.rollout.analysis.successRate.min",
        "spec.rollout.analysis.latency.p99Max",
        "spec.rollout.analysis.minRequests",
        "spec.rollout.analysis.failureLimit",
        "spec.rollout.analysis.failures.httpStatuses[1]",
        "spec.rollout.analysis.failures.httpStatuses[2]",
        "spec.rollout.analysis.failures.grpcStatuses[1]",
        "spec.rollout.analysis.failures.grpcStatuses[2]");
    assertThat(errors.get(2).message()).contains("between 1 and");
  }

  @Test
  void webhooks_needNameTypeAndAnHttpUrl() {
    var errors = errors("""
        canary: v2
        webhooks:
          - {name: gate, type: pre-step, url: "ftp://x/y"}
          - {name: gate, type: later, url: "http://ok.ml/x", timeout: 2m}
          - {type: rollback, url: "not a url"}
        """);

    assertThat(errors).extracting(FieldError::field).containsExactly(
        "spec.rollout.webhooks[0].url",
        "spec.rollout.webhooks[1].name",
        "spec.rollout.webhooks[1].type",
        "spec.rollout.webhooks[1].timeout",
        "spec.rollout.webhooks[2].name",
        "spec.rollout.webhooks[2].url");
  }

  @Test
  void unknownRolloutField_isReportedWithItsPath() {
    var parsed = ModelRouteCodec.parse("""
        apiVersion: sluice.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: r, namespace: ml}
        spec:
          hosts: [r.ml]
          port: 8080
          versions: [{name: v1, weight: 100, endpoints: ["10.0.0.1:8080"]}]
          rollout: {canary: v1, analysis: {maxErrorRate: 0.01}}
        """, ModelRouteCodec.Format.YAML);

    assertThat(parsed.errors()).extracting(FieldError::field).containsExactly("spec.rollout.analysis.maxErrorRate");
  }
}
