package dev.sluice.controlplane.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class InjectorPropertiesTest {

  @Test
  void withoutAService_theFeatureIsOff() {
    KubernetesProperties.Injector absent = new KubernetesProperties.Injector(null, null, null, null, null);
    assertThat(absent.enabled()).isFalse();
    assertThat(absent.managesSecret()).isFalse();
    assertThat(absent.patchesWebhook()).isFalse();
    assertThat(new KubernetesProperties.Injector(" ", "not a name!", null, null, null).enabled())
        .as("blank service: off, and the other names are not checked").isFalse();
  }

  @Test
  void withAService_theDefaultsNameEveryPiece() {
    KubernetesProperties.Injector on = new KubernetesProperties.Injector("sluice-injector", null, null, null, null);
    assertThat(on.enabled()).isTrue();
    assertThat(on.tlsSecret()).isEqualTo("sluice-injector-tls");
    assertThat(on.webhookConfiguration()).isEqualTo("sluice-injector");
    assertThat(on.trustBundleConfigMap()).isEqualTo("sluice-trust-bundle");
    assertThat(on.checkInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(on.managesSecret()).isTrue();
    assertThat(on.patchesWebhook()).isTrue();
  }

  @Test
  void emptyNames_turnTheirPieceOff_certManagerMode() {
    KubernetesProperties.Injector certManager = new KubernetesProperties.Injector("sluice-injector", "", "", null, null);
    assertThat(certManager.enabled()).isTrue();
    assertThat(certManager.managesSecret()).isFalse();
    assertThat(certManager.patchesWebhook()).isFalse();
    assertThat(certManager.trustBundleConfigMap()).isEqualTo("sluice-trust-bundle");
  }

  @Test
  void badNames_failWithThePropertyNamed() {
    assertThatThrownBy(() -> new KubernetesProperties.Injector("1injector", null, null, null, null))
        .hasMessageStartingWith("sluice.kubernetes.injector.service ");
    assertThatThrownBy(() -> new KubernetesProperties.Injector("sluice-injector", "Bad_Secret", null, null, null))
        .hasMessageStartingWith("sluice.kubernetes.injector.tls-secret ");
    assertThatThrownBy(() -> new KubernetesProperties.Injector("sluice-injector", null, "-x", null, null))
        .hasMessageStartingWith("sluice.kubernetes.injector.webhook-configuration ");
    assertThatThrownBy(() -> new KubernetesProperties.Injector("sluice-injector", null, null, "", null))
        .hasMessageStartingWith("sluice.kubernetes.injector.trust-bundle-config-map ");
    assertThatThrownBy(() -> new KubernetesProperties.Injector("sluice-injector", null, null, null, Duration.ZERO))
        .hasMessageStartingWith("sluice.kubernetes.injector.check-interval ");
  }

  @Test
  void theWebhookNames_coverEveryFormTheApiServerMayUse() {
    assertThat(InjectorCertificates.dnsNames("sluice-injector", "sluice-system")).containsExactly(
        "sluice-injector", "sluice-injector.sluice-system", "sluice-injector.sluice-system.svc",
        "sluice-injector.sluice-system.svc.cluster.local");
  }
}
