package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code values.schema.json}: Helm refuses wrong values before it renders anything, and its message
 * names the field.
 */
class ChartSchemaTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      controlPlane: {replicas: "3"}                      | '/controlPlane/replicas': got string, want integer
      controlPlane: {replica: 3}                         | '/controlPlane': additional properties 'replica' not allowed
      controlPlane: {ports: {xdsTls: -1}}                | '/controlPlane/ports/xdsTls': minimum: got -1, want 1
      controlPlane: {ports: {http: 70000}}               | '/controlPlane/ports/http': maximum: got 70,000, want 65,535
      injector: {failurePolicy: Never}                   | '/injector/failurePolicy'
      injector: {timeoutSeconds: 31}                     | '/injector/timeoutSeconds'
      injector: {excludeOutboundCidrs: [10.0.0.0]}       | '/injector/excludeOutboundCidrs/0'
      controlPlane: {workloadTtl: 1 day}                 | '/controlPlane/workloadTtl'
      controlPlane: {image: {pullPolicy: Sometimes}}     | '/controlPlane/image/pullPolicy'
      injectr: {enabled: false}                          | additional properties 'injectr' not allowed
      controlPlane: {apiTokens: [{name: ci, hash: secret, grants: [{role: admin}]}]} | '/controlPlane/apiTokens/0/hash'
      controlPlane: {apiTokens: [{name: ci, hash: "sha256:00112233445566778899aabbccddeeff:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", grants: [{role: root}]}]} | '/controlPlane/apiTokens/0/grants/0/role'
      """)
  void wrongValues_areRefusedWithTheFieldNamed(String values, String message, @TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("values.yaml"), values);
    assertThatThrownBy(() -> HelmChart.template(file))
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining(message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      controlPlane: {replicas: 5, watchNamespaces: [ml]}
      injector: {enabled: false}
      injector: {certManager: {enabled: true, issuerRef: {name: ca, kind: ClusterIssuer}}}
      controlPlane: {extraConfig: {sluice: {tracing: {provider: zipkin, collector: "zipkin:9411"}}}}
      """)
  void rightValues_render(String values, @TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("values.yaml"), values);
    assertThat(HelmChart.template(file)).contains("kind: Deployment");
  }
}
