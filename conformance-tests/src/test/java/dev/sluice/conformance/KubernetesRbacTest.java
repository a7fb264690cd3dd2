package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The control plane's RBAC as the chart renders it ({@code charts/sluice/templates/control-plane/rbac.yaml},
 * default values, release sluice in sluice-system) on a real
 * kube-apiserver, which authorizes with RBAC: each verb Kubernetes mode uses is allowed to its
 * service account, and nearby verbs it does not use are not.
 */
class KubernetesRbacTest {
  static final String AS = "--as=system:serviceaccount:sluice-system:sluice";
  private static KubeApiServer kube;

  @BeforeAll
  static void start() throws Exception {
    kube = KubeApiServer.startWithCrd("sluice-system");
    kube.apply(HelmChart.rbac());
  }

  @AfterAll
  static void stop() {
    if (kube != null) {
      kube.close();
    }
  }

  @Test
  @DisplayName("every verb Kubernetes mode uses is allowed to the sluice service account")
  void neededVerbs_areAllowed() {
    List<List<String>> allowed = List.of(
        List.of("get", "modelroutes.sluice.dev", "-A"),
        List.of("list", "modelroutes.sluice.dev", "-A"),
        List.of("watch", "modelroutes.sluice.dev", "-A"),
        List.of("create", "modelroutes.sluice.dev", "-n", "ml"),
        List.of("update", "modelroutes.sluice.dev", "-n", "ml"),
        List.of("patch", "modelroutes.sluice.dev", "-n", "ml"),
        List.of("delete", "modelroutes.sluice.dev", "-n", "ml"),
        List.of("get", "modelroutes.sluice.dev", "--subresource=status", "-n", "ml"),
        List.of("get", "configmaps", "-n", "ml"),
        List.of("create", "configmaps", "-n", "ml"),
        List.of("update", "configmaps", "-n", "ml"),
        List.of("delete", "configmaps", "-n", "ml"),
        List.of("list", "configmaps", "-n", "sluice-system"),
        List.of("watch", "configmaps", "-n", "sluice-system"),
        List.of("update", "modelroutes.sluice.dev", "--subresource=status", "-n", "ml"),
        List.of("patch", "modelroutes.sluice.dev", "--subresource=status", "-n", "ml"),
        List.of("get", "endpointslices.discovery.k8s.io", "-A"),
        List.of("list", "endpointslices.discovery.k8s.io", "-A"),
        List.of("watch", "endpointslices.discovery.k8s.io", "-A"),
        List.of("get", "pods", "-A"),
        List.of("list", "pods", "-A"),
        List.of("watch", "pods", "-A"),
        List.of("create", "tokenreviews.authentication.k8s.io"),
        List.of("create", "subjectaccessreviews.authorization.k8s.io"),
        List.of("get", "leases.coordination.k8s.io", "-n", "sluice-system"),
        List.of("create", "leases.coordination.k8s.io", "-n", "sluice-system"),
        List.of("update", "leases.coordination.k8s.io", "-n", "sluice-system"),
        List.of("create", "secrets", "-n", "sluice-system"),
        List.of("get", "secrets/sluice-ca", "-n", "sluice-system"),
        List.of("update", "secrets/sluice-ca", "-n", "sluice-system"),
        // The injector's serving certificate and its webhook configuration's caBundle.
        List.of("get", "secrets/sluice-injector-tls", "-n", "sluice-system"),
        List.of("update", "secrets/sluice-injector-tls", "-n", "sluice-system"),
        List.of("get", "configmaps/sluice-trust-bundle", "-n", "sluice-system"),
        List.of("update", "configmaps/sluice-trust-bundle", "-n", "sluice-system"),
        List.of("get", "mutatingwebhookconfigurations.admissionregistration.k8s.io/sluice-injector"),
        List.of("patch", "mutatingwebhookconfigurations.admissionregistration.k8s.io/sluice-injector"),
        List.of("update", "mutatingwebhookconfigurations.admissionregistration.k8s.io/sluice-injector"));
    for (List<String> check : allowed) {
      assertThat(canI(check)).as("can-i %s", check).isEqualTo("yes");
    }
  }

  @Test
  @DisplayName("verbs it does not use are refused: writing pods or slices, other Secrets, Secrets elsewhere")
  void otherVerbs_areRefused() {
    List<List<String>> refused = List.of(
        List.of("create", "pods", "-n", "ml"),
        List.of("list", "configmaps", "-n", "ml"),
        List.of("update", "pods", "-n", "ml"),
        List.of("update", "endpointslices.discovery.k8s.io", "-n", "ml"),
        List.of("get", "secrets/other", "-n", "sluice-system"),
        List.of("update", "secrets/other", "-n", "sluice-system"),
        List.of("list", "secrets", "-n", "sluice-system"),
        List.of("delete", "secrets/sluice-ca", "-n", "sluice-system"),
        List.of("get", "secrets/sluice-ca", "-n", "ml"),
        List.of("create", "secrets", "-n", "ml"),
        List.of("update", "leases.coordination.k8s.io", "-n", "ml"),
        List.of("delete", "leases.coordination.k8s.io", "-n", "sluice-system"),
        List.of("patch", "mutatingwebhookconfigurations.admissionregistration.k8s.io/other"),
        List.of("create", "mutatingwebhookconfigurations.admissionregistration.k8s.io"),
        List.of("delete", "mutatingwebhookconfigurations.admissionregistration.k8s.io/sluice-injector"),
        List.of("patch", "validatingwebhookconfigurations.admissionregistration.k8s.io/sluice-injector"));
    for (List<String> check : refused) {
      assertThat(canI(check)).as("can-i %s", check).isEqualTo("no");
    }
  }

  /** {@code kubectl auth can-i <args> --as=<sluice's service account>}: yes or no. */
  private static String canI(List<String> args) {
    List<String> command = new java.util.ArrayList<>(List.of("auth", "can-i"));
    command.addAll(args);
    command.add(AS);
    KubeApiServer.Kubectl r = kube.kubectl(null, command.toArray(String[]::new));
    return r.out().strip();
  }
}
