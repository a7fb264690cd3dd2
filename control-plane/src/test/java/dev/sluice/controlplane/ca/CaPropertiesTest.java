package dev.sluice.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaPropertiesTest {

  @Test
  void defaults_areDocumentedOnes() {
    CaProperties defaults = CaProperties.defaults();

    assertThat(defaults.trustDomain()).isEqualTo("cluster.local");
    assertThat(defaults.workloadTtl()).isEqualTo(Duration.ofHours(24));
    assertThat(defaults.maxWorkloadTtl()).isEqualTo(Duration.ofHours(168));
    assertThat(defaults.rootTtl()).isEqualTo(Duration.ofHours(87600));
    assertThat(defaults.rotationJitter()).isEqualTo(0.1);
    assertThat(defaults.pluggedIn()).isFalse();
    assertThat(defaults.serverIdentity()).isEqualTo(new WorkloadIdentity("sluice-system", "sluice"));
    assertThat(defaults.serverDnsNames()).containsExactly("localhost");
    assertThat(defaults.serverIpAddresses()).containsExactly("127.0.0.1");
  }

  @Test
  void trustDomainThatIsNotASpiffeTrustDomain_isRefusedNamingTheProperty() {
    for (String bad : List.of("Cluster.Local", "spiffe://cluster.local", "cluster.local/ns", "", "a b")) {
      assertThatThrownBy(() -> withTrustDomain(bad)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("sluice.ca.trust-domain");
    }
    assertThat(withTrustDomain("prod_eu-1.example.org").trustDomain()).isEqualTo("prod_eu-1.example.org");
  }

  @Test
  void workloadTtlAboveTheMaximum_isRefusedNamingBothProperties() {
    assertThatThrownBy(() -> new CaProperties(null, Duration.ofDays(8), null, null, null, null, null, null, null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sluice.ca.workload-ttl")
        .hasMessageContaining("sluice.ca.max-workload-ttl");
  }

  @Test
  void nonPositiveDurations_areRefusedNamingTheProperty() {
    assertThatThrownBy(() -> new CaProperties(null, Duration.ZERO, null, null, null, null, null, null, null, null, null, null))
        .hasMessageContaining("sluice.ca.workload-ttl");
    assertThatThrownBy(() -> new CaProperties(null, null, null, Duration.ofHours(-1), null, null, null, null, null, null, null, null))
        .hasMessageContaining("sluice.ca.root-ttl");
  }

  @Test
  void rotationJitterOutside0To025_isRefused() {
    assertThatThrownBy(() -> new CaProperties(null, null, null, null, 0.3, null, null, null, null, null, null, null))
        .hasMessageContaining("sluice.ca.rotation-jitter");
    assertThatThrownBy(() -> new CaProperties(null, null, null, null, -0.01, null, null, null, null, null, null, null))
        .hasMessageContaining("sluice.ca.rotation-jitter");
    assertThat(new CaProperties(null, null, null, null, 0.25, null, null, null, null, null, null, null).rotationJitter())
        .isEqualTo(0.25);
  }

  @Test
  void pluggedFiles_certAndKeyGoTogether_andChainNeedsThem() {
    Path file = Path.of("x.pem");
    assertThatThrownBy(() -> new CaProperties(null, null, null, null, null, file, null, null, null, null, null, null))
        .hasMessageContaining("sluice.ca.cert-file").hasMessageContaining("sluice.ca.key-file");
    assertThatThrownBy(() -> new CaProperties(null, null, null, null, null, null, file, null, null, null, null, null))
        .hasMessageContaining("sluice.ca.cert-file").hasMessageContaining("sluice.ca.key-file");
    assertThatThrownBy(() -> new CaProperties(null, null, null, null, null, null, null, file, null, null, null, null))
        .hasMessageContaining("sluice.ca.chain-file");
    assertThat(new CaProperties(null, null, null, null, null, file, file, file, null, null, null, null).pluggedIn()).isTrue();
  }

  @Test
  void serverIdentityAndNames_areValidated_namingTheProperty() {
    assertThatThrownBy(() -> new CaProperties(null, null, null, null, null, null, null, null, "Sluice", null, null, null))
        .hasMessageContaining("sluice.ca.server-namespace");
    assertThatThrownBy(() -> new CaProperties(null, null, null, null, null, null, null, null, null, "a/b", null, null))
        .hasMessageContaining("sluice.ca.server-service-account");
    assertThatThrownBy(() -> new CaProperties(null, null, null, null, null, null, null, null, null, null, List.of("bad name"), null))
        .hasMessageContaining("sluice.ca.server-dns-names");
    assertThatThrownBy(() -> new CaProperties(null, null, null, null, null, null, null, null, null, null, null, List.of("localhost")))
        .hasMessageContaining("sluice.ca.server-ip-addresses");
    assertThat(new CaProperties(null, null, null, null, null, null, null, null, null, null,
        List.of("*.sluice.svc", "sluice.sluice-system.svc.cluster.local"), List.of("10.0.0.1", "fd00::1")).serverDnsNames())
        .hasSize(2);
  }

  private static CaProperties withTrustDomain(String trustDomain) {
    return new CaProperties(trustDomain, null, null, null, null, null, null, null, null, null, null, null);
  }
}
