package dev.sluice.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.model.ModelRouteCodec.Format;
import dev.sluice.model.ModelRouteCodec.Parsed;
import org.junit.jupiter.api.Test;

class ModelRouteCodecTest {

  static final String YAML =
      """
      apiVersion: sluice.dev/v1alpha1
      kind: ModelRoute
      metadata:
        name: fraud-scorer
        namespace: ml
        labels: {team: risk}
      spec:
        hosts: [fraud-scorer.ml]
        port: 8080
        protocol: GRPC
        versions:
          - name: v1
            weight: 90
            endpoints: ["10.0.0.11:8080"]
          - name: v2
            weight: 10
            endpoints: ["10.0.0.21:8080"]
        timeout: 2s
        retries: {attempts: 3, perTryTimeout: 500ms, on: [unavailable]}
      """;

  @Test
  void yamlDocument_isReadIntoRecords() {
    Parsed parsed = ModelRouteCodec.parse(YAML, Format.YAML);

    assertThat(parsed.errors()).isEmpty();
    ModelRoute route = parsed.route();
    assertThat(route.key()).isEqualTo("ml/fraud-scorer");
    assertThat(route.metadata().labels()).containsEntry("team", "risk");
    assertThat(route.spec().protocol()).isEqualTo(Protocol.GRPC);
    assertThat(route.spec().versions()).extracting(ModelVersion::weight).containsExactly(90, 10);
    assertThat(route.spec().retries().on()).containsExactly("unavailable");
  }

  @Test
  void jsonAndYamlForms_roundTripToTheSameRecord() {
    ModelRoute route = ModelRouteCodec.parse(YAML, Format.YAML).route();

    Parsed fromJson = ModelRouteCodec.parse(ModelRouteCodec.toJson(route), Format.JSON);
    Parsed fromYaml = ModelRouteCodec.parse(ModelRouteCodec.toYaml(route), Format.YAML);

    assertThat(fromJson.route()).isEqualTo(route);
    assertThat(fromYaml.route()).isEqualTo(route);
  }

  @Test
  void unknownFields_areAllReportedWithTheirPaths() {
    String json =
        """
        {"metadata": {"name": "a", "colour": "red"},
         "spec": {"hosts": ["a.ml"], "port": 80, "wieght": 3,
                  "versions": [{"name": "v1", "weight": 100, "endpoints": ["10.0.0.1:80"], "gpu": true}]}}
        """;

    Parsed parsed = ModelRouteCodec.parse(json, Format.JSON);

    assertThat(parsed.errors())
        .extracting(FieldError::field)
        .containsExactlyInAnyOrder("metadata.colour", "spec.wieght", "spec.versions[0].gpu");
    assertThat(parsed.errors()).allSatisfy(e -> assertThat(e.message()).isEqualTo("is not a known field"));
  }

  @Test
  void truncatedJson_isAnErrorNotAnException() {
    Parsed parsed = ModelRouteCodec.parse("{\"metadata\": {\"name\": \"a\"", Format.JSON);

    assertThat(parsed.route()).isNull();
    assertThat(parsed.errors()).hasSize(1);
    assertThat(parsed.errors().get(0).message()).startsWith("is not well-formed");
  }

  @Test
  void wrongType_namesTheField() {
    Parsed parsed =
        ModelRouteCodec.parse("{\"spec\": {\"versions\": [{\"name\": \"v1\", \"weight\": \"ninety\"}]}}", Format.JSON);

    assertThat(parsed.errors()).extracting(FieldError::field).containsExactly("spec.versions[0].weight");
  }

  @Test
  void fractionalWeight_isRejectedNotTruncated() {
    Parsed parsed =
        ModelRouteCodec.parse("{\"spec\": {\"versions\": [{\"name\": \"v1\", \"weight\": 90.5}]}}", Format.JSON);

    assertThat(parsed.errors()).extracting(FieldError::field).containsExactly("spec.versions[0].weight");
  }

  @Test
  void unknownProtocol_namesTheField() {
    Parsed parsed = ModelRouteCodec.parse("{\"spec\": {\"protocol\": \"SMTP\"}}", Format.JSON);

    assertThat(parsed.errors()).extracting(FieldError::field).containsExactly("spec.protocol");
  }

  @Test
  void duplicateKeys_areRejected() {
    Parsed parsed = ModelRouteCodec.parse("{\"spec\": {\"port\": 1, \"port\": 2}}", Format.JSON);

    assertThat(parsed.ok()).isFalse();
  }

  @Test
  void emptyDocument_isAnError() {
    assertThat(ModelRouteCodec.parse("", Format.YAML).ok()).isFalse();
    assertThat(ModelRouteCodec.parse("", Format.JSON).ok()).isFalse();
  }
}
