package dev.sluice.injector.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfigBuilder;
import org.junit.jupiter.api.Test;

class WebhookConfigurationsTest {

  @Test
  void twoWebhooks_whoseSelectorsNeverBothMatchOnePod() {
    MutatingWebhookConfiguration c = WebhookConfigurations.mutatingWebhookConfiguration("sluice-injector",
        new WebhookClientConfigBuilder().withNewService().withNamespace("sluice-system").withName("sluice-injector")
            .withPath("/inject").withPort(443).endService().build(), "sluice-system", "Fail");
    assertThat(c.getWebhooks()).extracting(MutatingWebhook::getName)
        .containsExactly("namespace.inject.sluice.dev", "pod.inject.sluice.dev");
    MutatingWebhook byNs = c.getWebhooks().get(0);
    MutatingWebhook byPod = c.getWebhooks().get(1);
    assertThat(byNs.getNamespaceSelector().getMatchExpressions()).anySatisfy(r -> {
      assertThat(r.getKey()).isEqualTo("sluice.dev/inject");
      assertThat(r.getOperator()).isEqualTo("In");
      assertThat(r.getValues()).containsExactly("enabled");
    });
    assertThat(byPod.getNamespaceSelector().getMatchExpressions()).anySatisfy(r -> {
      assertThat(r.getKey()).isEqualTo("sluice.dev/inject");
      assertThat(r.getOperator()).isEqualTo("NotIn");
      assertThat(r.getValues()).containsExactly("enabled");
    });
    assertThat(byPod.getNamespaceSelector().getMatchExpressions()).anySatisfy(r -> {
      assertThat(r.getKey()).isEqualTo("kubernetes.io/metadata.name");
      assertThat(r.getValues()).containsExactly("kube-system", "sluice-system");
    });
    assertThat(byNs.getObjectSelector().getMatchExpressions().get(0).getOperator()).isEqualTo("NotIn");
    assertThat(byPod.getObjectSelector().getMatchExpressions().get(0).getValues()).containsExactly("true");
    for (MutatingWebhook w : c.getWebhooks()) {
      assertThat(w.getRules().get(0).getOperations()).containsExactly("CREATE");
      assertThat(w.getRules().get(0).getResources()).containsExactly("pods");
      assertThat(w.getSideEffects()).isEqualTo("None");
      assertThat(w.getAdmissionReviewVersions()).containsExactly("v1");
      assertThat(w.getReinvocationPolicy()).isEqualTo("IfNeeded");
      assertThat(w.getFailurePolicy()).isEqualTo("Fail");
      assertThat(w.getTimeoutSeconds()).isEqualTo(10);
    }
  }

  @Test
  void failurePolicy_isFailOrIgnore() {
    assertThat(WebhookConfigurations.failurePolicy("ignore")).isEqualTo("Ignore");
    assertThatThrownBy(() -> WebhookConfigurations.failurePolicy("Retry")).hasMessageContaining("failure-policy");
  }
}
