package dev.sluice.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Versions whose servers come from a Service's EndpointSlices, filtered by pod labels. */
class KubernetesVersionsTest {

  private static List<FieldError> errors(String versions, String more) {
    String yaml = """
        apiVersion: sluice.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: fraud, namespace: ml}
        spec:
          hosts: [fraud.ml]
          port: 8080
          %s
          versions: %s
        """.formatted(more, versions);
    var parsed = ModelRouteCodec.parse(yaml, ModelRouteCodec.Format.YAML);
    assertThat(parsed.errors()).isEmpty();
    return ModelRouteValidator.validate(parsed.route());
  }

  @Test
  void selectorsWithTheRoutesService_orAServicePerVersion_areValid() {
    assertThat(errors("[{name: v1, weight: 90, selector: {app: fraud, version: v1}},"
        + " {name: v2, weight: 10, selector: {app: fraud, version: v2}}]", "service: fraud")).isEmpty();
    assertThat(errors("[{name: v1, weight: 90, service: fraud-v1},"
        + " {name: v2, weight: 10, endpoints: [\"10.0.0.2:80\"]}]", "")).isEmpty();
  }

  @Test
  void aSelectorWithoutAService_isNamed() {
    assertThat(errors("[{name: v1, weight: 100, selector: {app: fraud}}]", ""))
        .extracting(FieldError::field).containsExactly("spec.versions[0].selector");
  }

  @Test
  void endpointsAndASelector_badLabels_andBadServiceNames_areEachNamed() {
    assertThat(errors("[{name: v1, weight: 100, endpoints: [\"10.0.0.1:80\"], selector: {app: fraud}}]",
        "service: fraud")).extracting(FieldError::field).containsExactly("spec.versions[0].endpoints");
    assertThat(errors("[{name: v1, weight: 100, selector: {\"bad key!\": x, app: \"no spaces\"}}]", "service: fraud"))
        .extracting(FieldError::field)
        .containsExactlyInAnyOrder("spec.versions[0].selector[bad key!]", "spec.versions[0].selector[app]");
    assertThat(errors("[{name: v1, weight: 100, service: Fraud_V1}]", "service: -x"))
        .extracting(FieldError::field).containsExactlyInAnyOrder("spec.versions[0].service", "spec.service");
    assertThat(errors("[{name: v1, weight: 100, selector: {}}]", "service: fraud"))
        .extracting(FieldError::field).containsExactly("spec.versions[0].selector");
  }
}
