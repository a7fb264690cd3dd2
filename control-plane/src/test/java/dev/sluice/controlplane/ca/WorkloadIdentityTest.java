package dev.sluice.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WorkloadIdentityTest {

  @Test
  void spiffeId_isTrustDomainNamespaceAndServiceAccount_andToStringIsNamespaceSlashAccount() {
    WorkloadIdentity id = new WorkloadIdentity("models", "llm.gateway-1");

    assertThat(id.spiffeId("example.org")).isEqualTo("spiffe://example.org/ns/models/sa/llm.gateway-1");
    assertThat(id).hasToString("models/llm.gateway-1");
  }

  @Test
  void namespace_mustBeADns1123Label() {
    for (String bad : new String[] {"Models", "-models", "models-", "mo.dels", "", "a".repeat(64), "mo/dels"}) {
      assertThatThrownBy(() -> new WorkloadIdentity(bad, "sa")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("namespace");
    }
    assertThat(new WorkloadIdentity("a".repeat(63), "sa").namespace()).hasSize(63);
  }

  @Test
  void serviceAccount_mustBeADns1123Subdomain() {
    for (String bad : new String[] {"SA", "sa.", ".sa", "s..a", "", "a".repeat(254), "s/a", "s_a"}) {
      assertThatThrownBy(() -> new WorkloadIdentity("ns", bad)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("service account");
    }
    assertThat(new WorkloadIdentity("ns", "a".repeat(253)).serviceAccount()).hasSize(253);
  }
}
