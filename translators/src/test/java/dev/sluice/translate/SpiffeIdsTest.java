package dev.sluice.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SpiffeIdsTest {

  @Test
  void serviceAccountId_isTrustDomainNamespaceAndServiceAccount() {
    assertThat(SpiffeIds.of("cluster.local", "ml", "fraud-scorer")).isEqualTo("spiffe://cluster.local/ns/ml/sa/fraud-scorer");
    assertThat(SpiffeIds.of("prod_eu-1.example", "default", "a.b")).isEqualTo("spiffe://prod_eu-1.example/ns/default/sa/a.b");
  }

  @Test
  void partsASpiffeIdCannotCarry_areRefused() {
    for (String bad : Arrays.asList(null, "", ".", "..", "a/b", "a b", "a%2F")) {
      assertThatThrownBy(() -> SpiffeIds.of("cluster.local", bad, "sa")).as("namespace '%s'", bad)
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> SpiffeIds.of("cluster.local", "ml", bad)).as("service account '%s'", bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> SpiffeIds.of("Cluster.Local", "ml", "sa")).isInstanceOf(IllegalArgumentException.class);
  }
}
