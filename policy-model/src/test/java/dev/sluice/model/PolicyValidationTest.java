package dev.sluice.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Validation of rules, stickiness, mirroring, retries, circuit breaking, ejection, faults, TLS and tracing. */
class PolicyValidationTest {
  private static final tools.jackson.databind.ObjectMapper MAPPER =
      tools.jackson.databind.json.JsonMapper.builder().build();

  static ModelRoute allFields() {
    try (InputStream in = PolicyValidationTest.class.getResourceAsStream("/all-fields.yaml")) {
      var parsed = ModelRouteCodec.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8),
          ModelRouteCodec.Format.YAML);
      assertThat(parsed.errors()).isEmpty();
      return parsed.route();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The all-fields document with its spec changed through a YAML-level edit of one field. */
  static List<FieldError> errorsWith(String field, Object value) {
    var tree = (tools.jackson.databind.node.ObjectNode) ModelRouteCodec.toTree(allFields());
    String[] parts = field.split("\\.");
    var node = (tools.jackson.databind.node.ObjectNode) tree.get("spec");
    for (int i = 1; i < parts.length - 1; i++) {
      var next = node.get(parts[i]);
      node = (tools.jackson.databind.node.ObjectNode) (next.isArray() ? next.get(0) : next);
    }
    node.set(parts[parts.length - 1], MAPPER.valueToTree(value));
    var parsed = ModelRouteCodec.parse(tree);
    assertThat(parsed.errors()).as("form of %s", field).isEmpty();
    return ModelRouteValidator.validate(parsed.route());
  }

  static List<String> fields(List<FieldError> errors) {
    return errors.stream().map(FieldError::field).toList();
  }

  @Test
  void documentWithEveryField_isValidAndRoundTrips() {
    ModelRoute route = allFields();

    assertThat(ModelRouteValidator.validate(route)).isEmpty();
    assertThat(ModelRouteCodec.parse(ModelRouteCodec.toYaml(route), ModelRouteCodec.Format.YAML).route())
        .isEqualTo(route);
    assertThat(route.spec().rules().get(1).weights()).containsExactly(Map.entry("v1", 50), Map.entry("v2", 50));
    assertThat(route.spec().tls()).isEqualTo(new Tls(TlsMode.MUTUAL));
    assertThat(route.spec().versions()).extracting(ModelVersion::serviceAccount)
        .containsExactly(null, "fraud-scorer-canary", null);
    assertThat(route.spec().tracing()).isEqualTo(new Tracing(2.5));
  }

  @Test
  void ruleNamesMustBeUnique_andTargetsDeclared() {
    var route = allFields();
    var rules = List.of(route.spec().rules().get(0),
        new TrafficRule("beta-testers", route.spec().rules().get(1).match(), "v9", null));

    assertThat(ModelRouteValidator.validate(withRules(route, rules)))
        .extracting(FieldError::field)
        .containsExactly("spec.rules[1].name", "spec.rules[1].version");
  }

  @Test
  void ruleWeights_mustNameDeclaredVersionsAndSumTo100() {
    var match = new RuleMatch(List.of(ValueMatch.exact("x-a", "b")), null, null);
    var rule = new TrafficRule("ab", match, null, Map.of("v1", 70, "v7", 20));

    assertThat(ModelRouteValidator.validate(withRules(allFields(), List.of(rule))))
        .extracting(FieldError::field)
        .containsExactlyInAnyOrder("spec.rules[0].weights[v7]", "spec.rules[0].weights");
  }

  @Test
  void ruleWithBothVersionAndWeights_orNeither_isRejected() {
    var match = new RuleMatch(List.of(ValueMatch.exact("x-a", "b")), null, null);
    var both = new TrafficRule("both", match, "v1", Map.of("v1", 100));
    var neither = new TrafficRule("neither", match, null, null);

    assertThat(fields(ModelRouteValidator.validate(withRules(allFields(), List.of(both, neither)))))
        .containsExactly("spec.rules[0]", "spec.rules[1]");
  }

  @Test
  void regexThatRe2CannotCompile_isRejected_evenWhenJavaCould() {
    // Backreferences and lookahead are Java regex features that RE2 (Envoy) refuses.
    var match = new RuleMatch(
        List.of(new ValueMatch("x-a", null, null, "(a)\\1", null)),
        List.of(new ValueMatch("q", null, null, "foo(?=bar)", null)),
        List.of(new ValueMatch("c", null, null, "[unclosed", null)));

    List<FieldError> errors =
        ModelRouteValidator.validate(withRules(allFields(), List.of(new TrafficRule("r", match, "v1", null))));

    assertThat(fields(errors)).containsExactly(
        "spec.rules[0].match.headers[0].regex", "spec.rules[0].match.queryParams[0].regex",
        "spec.rules[0].match.cookies[0].regex");
    assertThat(errors.get(0).message()).contains("RE2");
  }

  @Test
  void matchConditions_needOneComparisonAndValidNames() {
    var match = new RuleMatch(
        List.of(new ValueMatch("X-Upper", "a", "b", null, null)),
        List.of(new ValueMatch("a&b", null, "", null, null)),
        List.of(new ValueMatch("bad cookie", null, null, null, false)));

    assertThat(fields(ModelRouteValidator.validate(withRules(allFields(), List.of(new TrafficRule("r", match, "v1", null))))))
        .containsExactly(
            "spec.rules[0].match.headers[0].name", "spec.rules[0].match.headers[0]",
            "spec.rules[0].match.queryParams[0].name", "spec.rules[0].match.queryParams[0].prefix",
            "spec.rules[0].match.cookies[0].name", "spec.rules[0].match.cookies[0].present");
  }

  @Test
  void emptyMatch_isRejected() {
    var rule = new TrafficRule("r", new RuleMatch(List.of(), null, null), "v1", null);

    assertThat(fields(ModelRouteValidator.validate(withRules(allFields(), List.of(rule)))))
        .containsExactly("spec.rules[0].match");
  }

  @Test
  void stickyNeedsExactlyOneKey_andValidNames() {
    assertThat(fields(errorsWith("spec.sticky", Map.of()))).containsExactly("spec.sticky");
    assertThat(fields(errorsWith("spec.sticky", Map.of("header", "X User")))).containsExactly("spec.sticky.header");
    assertThat(fields(errorsWith("spec.sticky", Map.of("cookie", Map.of("name", "a;b", "ttl", "0s")))))
        .containsExactly("spec.sticky.cookie.name", "spec.sticky.cookie.ttl");
    assertThat(errorsWith("spec.sticky", Map.of("cookie", Map.of("name", "sluice-variant")))).isEmpty();
  }

  @Test
  void mirrorTarget_mustBeDeclared_andPercentInRange() {
    assertThat(fields(errorsWith("spec.mirror", Map.of("version", "v9", "percent", 101))))
        .containsExactly("spec.mirror.version", "spec.mirror.percent");
    assertThat(fields(errorsWith("spec.mirror", Map.of("version", "v3", "percent", 0.00001))))
        .containsExactly("spec.mirror.percent");
    assertThat(fields(errorsWith("spec.mirror", Map.of("percent", 5)))).containsExactly("spec.mirror.version");
  }

  @Test
  void subMillisecondBackoff_isRejected_becauseGrpcJsRoundsItToZero() {
    assertThat(fields(errorsWith("spec.retries.backoff", Map.of("base", "0.5ms", "max", "0.9ms"))))
        .containsExactly("spec.retries.backoff.base", "spec.retries.backoff.max");
    assertThat(fields(errorsWith("spec.retries.backoff", Map.of("base", "1ms", "max", "1ms")))).isEmpty();
  }

  @Test
  void retryBackoffAndBudget_areChecked() {
    assertThat(fields(errorsWith("spec.retries.backoff", Map.of("base", "1s", "max", "100ms"))))
        .containsExactly("spec.retries.backoff.max");
    assertThat(fields(errorsWith("spec.retries.backoff", Map.of("max", "100ms"))))
        .containsExactly("spec.retries.backoff.base");
    assertThat(fields(errorsWith("spec.retries.budget", Map.of("percent", -1, "minConcurrency", -2))))
        .containsExactly("spec.retries.budget.percent", "spec.retries.budget.minConcurrency");
    assertThat(fields(errorsWith("spec.retries.budget", Map.of("minConcurrency", 2))))
        .containsExactly("spec.retries.budget.percent");
  }

  @Test
  void circuitBreakerLimits_arePositive() {
    assertThat(fields(errorsWith("spec.circuitBreaker", Map.of("maxRequests", 0, "maxConnections", -1))))
        .containsExactly("spec.circuitBreaker.maxConnections", "spec.circuitBreaker.maxRequests");
    assertThat(fields(errorsWith("spec.circuitBreaker", Map.of()))).containsExactly("spec.circuitBreaker");
  }

  @Test
  void outlierDetection_percentsDurationsAndDependentFields() {
    assertThat(fields(errorsWith("spec.outlierDetection", Map.of(
            "consecutive5xx", 0, "maxEjectionPercent", 101, "interval", "0s", "baseEjectionTime", "soon",
            "minHosts", 2))))
        .containsExactly("spec.outlierDetection.consecutive5xx", "spec.outlierDetection.minHosts",
            "spec.outlierDetection.interval",
            "spec.outlierDetection.baseEjectionTime", "spec.outlierDetection.maxEjectionPercent");
  }

  @Test
  void fault_needsDelayOrAbort_withPercentsAndStatus() {
    assertThat(fields(errorsWith("spec.fault", Map.of()))).containsExactly("spec.fault");
    assertThat(fields(errorsWith("spec.fault", Map.of(
            "delay", Map.of("percent", 150),
            "abort", Map.of("percent", 1, "httpStatus", 99)))))
        .containsExactly("spec.fault.delay.percent", "spec.fault.delay.duration", "spec.fault.abort.httpStatus");
  }

  @Test
  void unknownFieldsInNewSections_areReportedWithPaths() {
    String yaml = """
        metadata: {name: r}
        spec:
          hosts: [r.ml]
          port: 80
          versions: [{name: v1, weight: 100, endpoints: ["10.0.0.1:80"]}]
          sticky: {heder: x-user}
          fault: {abort: {percent: 1, status: 503}}
        """;

    var parsed = ModelRouteCodec.parse(yaml, ModelRouteCodec.Format.YAML);

    assertThat(fields(parsed.errors())).containsExactly("spec.sticky.heder", "spec.fault.abort.status");
  }

  @Test
  void tlsWithoutMode_isRejectedNamingTheModeField() {
    List<FieldError> errors = errorsWith("spec.tls", Map.of());

    assertThat(fields(errors)).containsExactly("spec.tls.mode");
    assertThat(errors.get(0).message()).contains("MUTUAL", "PERMISSIVE", "DISABLED");
  }

  @Test
  void unknownTlsMode_isAnErrorNamingTheField_andTheModes() {
    String yaml = """
        metadata: {name: r}
        spec:
          hosts: [r.ml]
          port: 80
          versions: [{name: v1, weight: 100, endpoints: ["10.0.0.1:80"]}]
          tls: {mode: STRICT}
        """;

    var parsed = ModelRouteCodec.parse(yaml, ModelRouteCodec.Format.YAML);

    assertThat(fields(parsed.errors())).containsExactly("spec.tls.mode");
    assertThat(parsed.errors().get(0).message()).contains("STRICT", "MUTUAL", "PERMISSIVE", "DISABLED");
  }

  @Test
  void everyTlsMode_isValid_andAbsentTlsMeansPlaintext() {
    for (TlsMode mode : TlsMode.values()) {
      assertThat(errorsWith("spec.tls", Map.of("mode", mode.name()))).as("%s", mode).isEmpty();
    }
    ModelRouteSpec withoutTls = allFields().spec().withTls(null);

    assertThat(withoutTls.effectiveTlsMode()).isEqualTo(TlsMode.DISABLED);
    assertThat(withoutTls.withTls(new Tls(TlsMode.PERMISSIVE)).effectiveTlsMode()).isEqualTo(TlsMode.PERMISSIVE);
    assertThat(ModelRouteCodec.toJson(allFields().withSpec(withoutTls))).doesNotContain("tls");
  }

  @Test
  void tracingSamplingPercent_isRequired_inRange_andHasAtMostFourDecimals() {
    assertThat(fields(errorsWith("spec.tracing", Map.of()))).containsExactly("spec.tracing.samplingPercent");
    assertThat(fields(errorsWith("spec.tracing", Map.of("samplingPercent", 100.5))))
        .containsExactly("spec.tracing.samplingPercent");
    assertThat(fields(errorsWith("spec.tracing", Map.of("samplingPercent", -1))))
        .containsExactly("spec.tracing.samplingPercent");
    List<FieldError> tooFine = errorsWith("spec.tracing", Map.of("samplingPercent", 0.00001));
    assertThat(fields(tooFine)).containsExactly("spec.tracing.samplingPercent");
    assertThat(tooFine.get(0).message()).contains("decimals");
    for (double ok : new double[] {0, 0.0001, 1, 12.5, 100}) {
      assertThat(errorsWith("spec.tracing", Map.of("samplingPercent", ok))).as("%s", ok).isEmpty();
    }
  }

  @Test
  void unknownTracingField_isReportedWithItsPath_andAbsentTracingIsLeftOut() {
    String yaml = """
        metadata: {name: r}
        spec:
          hosts: [r.ml]
          port: 80
          versions: [{name: v1, weight: 100, endpoints: ["10.0.0.1:80"]}]
          tracing: {sampling: 5}
        """;

    assertThat(fields(ModelRouteCodec.parse(yaml, ModelRouteCodec.Format.YAML).errors()))
        .containsExactly("spec.tracing.sampling");
    assertThat(ModelRouteCodec.toJson(allFields().withSpec(allFields().spec().withTracing(null))))
        .doesNotContain("tracing");
  }

  @Test
  void serviceAccount_mustBeADns1123Subdomain_reportedWithItsVersionPath() {
    for (String bad : List.of("Fraud_Scorer", "", "-sa", "sa.", "a".repeat(64), ("a".repeat(63) + ".").repeat(4) + "a")) {
      List<FieldError> errors = ModelRouteValidator.validate(withServiceAccount(allFields(), 1, bad));

      assertThat(fields(errors)).as("'%s'", bad).containsExactly("spec.versions[1].serviceAccount");
    }
    for (String good : List.of("fraud-scorer", "scorer.ml-serving", "a".repeat(63) + "." + "b".repeat(63))) {
      assertThat(ModelRouteValidator.validate(withServiceAccount(allFields(), 1, good))).as("'%s'", good).isEmpty();
    }
  }

  @Test
  void serviceAccount_defaultsToTheRouteName_andSurvivesWeightChanges() {
    List<ModelVersion> versions = allFields().spec().versions();

    assertThat(versions.get(0).effectiveServiceAccount("fraud-scorer")).isEqualTo("fraud-scorer");
    assertThat(versions.get(1).effectiveServiceAccount("fraud-scorer")).isEqualTo("fraud-scorer-canary");
    assertThat(versions.get(1).withWeight(50).serviceAccount()).isEqualTo("fraud-scorer-canary");
  }

  private static ModelRoute withServiceAccount(ModelRoute route, int index, String serviceAccount) {
    List<ModelVersion> versions = new java.util.ArrayList<>(route.spec().versions());
    ModelVersion v = versions.get(index);
    versions.set(index, new ModelVersion(v.name(), v.weight(), v.endpoints(), serviceAccount));
    return route.withSpec(route.spec().withVersions(versions));
  }

  private static ModelRoute withRules(ModelRoute route, List<TrafficRule> rules) {
    ModelRouteSpec s = route.spec();
    return route.withSpec(new ModelRouteSpec(s.hosts(), s.port(), s.protocol(), s.versions(), rules, s.sticky(),
        s.mirror(), s.timeout(), s.retries(), s.circuitBreaker(), s.outlierDetection(), s.fault(), s.tls(),
        s.tracing()));
  }
}
