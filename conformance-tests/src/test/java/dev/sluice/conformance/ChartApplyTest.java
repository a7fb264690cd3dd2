package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.conformance.HelmChart.ValueSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every value set's rendered objects validate against a real kube-apiserver ({@code kubectl apply
 * --dry-run=server}, strict field validation: an unknown or misplaced field fails). The default set
 * is also installed for real by {@link ChartInstallTest}. Kinds whose CRDs belong to other projects
 * (the Prometheus Operator's ServiceMonitor, cert-manager's Certificate and Issuer) are not served by
 * this API server and are checked by the goldens only.
 */
class ChartApplyTest {
  private static final Set<String> SERVED = Set.of("ServiceAccount", "ConfigMap", "Service", "Deployment",
      "PodDisruptionBudget", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "NetworkPolicy",
      "MutatingWebhookConfiguration");
  private static KubeApiServer kube;

  @BeforeAll
  static void start() throws Exception {
    kube = KubeApiServer.startWithCrd(HelmChart.NAMESPACE);
  }

  @AfterAll
  static void stop() {
    if (kube != null) {
      kube.close();
    }
  }

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void everyObject_validatesOnTheApiServer(ValueSet set) {
    String rendered = HelmChart.template(set);
    String served = HelmChart.documents(rendered, SERVED);
    KubeApiServer.Kubectl applied = kube.kubectl(served, "apply", "--dry-run=server", "--validate=strict",
        "-f", "-");
    assertThat(applied.ok()).as("%s: %s", set, applied.err()).isTrue();
    long objects = HelmChart.objects(rendered).size();
    long notServed = HelmChart.objects(rendered).stream()
        .filter(o -> !SERVED.contains(o.getKind())).peek(o -> assertThat(o.getKind())
            .isIn("ServiceMonitor", "Certificate", "Issuer")).count();
    assertThat(applied.out().lines().count()).as(applied.out()).isEqualTo(objects - notServed);
  }
}
