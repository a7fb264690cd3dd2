package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.conformance.HelmChart.ValueSet;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the chart may never render, for every value set: a container that runs as root, may gain
 * privileges, is privileged, keeps a capability or writes its root filesystem; a hostPath volume or
 * the host's namespaces; and RBAC with a wildcard or bound to cluster-admin. (The one container in
 * Sluice that runs as root with NET_ADMIN is the injector's {@code sluice-init}, which it adds to
 * application pods; the chart itself makes none.)
 */
class ChartSecurityTest {

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void pods_runUnprivileged(ValueSet set) {
    List<HasMetadata> objects = HelmChart.objects(HelmChart.template(set));
    List<PodTemplateSpec> pods = objects.stream().filter(Deployment.class::isInstance)
        .map(o -> ((Deployment) o).getSpec().getTemplate()).toList();
    assertThat(pods).isNotEmpty();
    for (PodTemplateSpec template : pods) {
      PodSpec pod = template.getSpec();
      String name = template.getMetadata().getLabels().get("app.kubernetes.io/component");
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(name + " runAsNonRoot").isTrue();
      assertThat(pod.getSecurityContext().getRunAsUser()).as(name + " runAsUser").isPositive();
      assertThat(pod.getSecurityContext().getSeccompProfile().getType()).as(name).isEqualTo("RuntimeDefault");
      assertThat(pod.getHostNetwork()).as(name + " hostNetwork").isNotEqualTo(Boolean.TRUE);
      assertThat(pod.getHostPID()).as(name + " hostPID").isNotEqualTo(Boolean.TRUE);
      assertThat(pod.getHostIPC()).as(name + " hostIPC").isNotEqualTo(Boolean.TRUE);
      assertThat(pod.getVolumes()).as(name + " volumes").allMatch(v -> v.getHostPath() == null);
      List<Container> containers = new ArrayList<>(pod.getContainers());
      containers.addAll(pod.getInitContainers());
      for (Container c : containers) {
        var sc = c.getSecurityContext();
        assertThat(sc).as(c.getName() + " securityContext").isNotNull();
        Long user = sc.getRunAsUser() != null ? sc.getRunAsUser() : pod.getSecurityContext().getRunAsUser();
        assertThat(user).as(c.getName() + " runs as").isPositive();
        assertThat(sc.getRunAsNonRoot()).as(c.getName() + " runAsNonRoot").isNotEqualTo(Boolean.FALSE);
        assertThat(sc.getPrivileged()).as(c.getName() + " privileged").isFalse();
        assertThat(sc.getAllowPrivilegeEscalation()).as(c.getName() + " allowPrivilegeEscalation").isFalse();
        assertThat(sc.getReadOnlyRootFilesystem()).as(c.getName() + " readOnlyRootFilesystem").isTrue();
        assertThat(sc.getCapabilities().getDrop()).as(c.getName() + " drops").containsExactly("ALL");
        assertThat(sc.getCapabilities().getAdd()).as(c.getName() + " adds").isNullOrEmpty();
        assertThat(c.getResources().getRequests()).as(c.getName() + " requests").containsKeys("cpu", "memory");
        assertThat(c.getResources().getLimits()).as(c.getName() + " limits").containsKey("memory");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void rbac_hasNoWildcardAndNoClusterAdmin(ValueSet set) {
    List<HasMetadata> objects = HelmChart.objects(HelmChart.template(set));
    List<PolicyRule> rules = objects.stream().flatMap(o -> o instanceof ClusterRole r ? r.getRules().stream()
        : o instanceof Role r ? r.getRules().stream() : Stream.empty()).toList();
    assertThat(rules).isNotEmpty();
    for (PolicyRule rule : rules) {
      assertThat(rule.getVerbs()).as("verbs of %s", rule).doesNotContain("*", "escalate", "bind", "impersonate");
      assertThat(rule.getResources()).as("resources of %s", rule).doesNotContain("*");
      assertThat(rule.getApiGroups()).as("apiGroups of %s", rule).doesNotContain("*");
      if (rule.getResources().contains("secrets") && !rule.getVerbs().equals(List.of("create"))) {
        assertThat(rule.getResourceNames()).as("Secrets read or written by name only").isNotEmpty();
      }
      if (rule.getResources().contains("secrets")) {
        assertThat(rule.getVerbs()).as("no Secret is listed or watched").doesNotContain("list", "watch");
      }
    }
    objects.stream().flatMap(o -> o instanceof ClusterRoleBinding b ? Stream.of(b.getRoleRef().getName())
        : o instanceof RoleBinding b ? Stream.of(b.getRoleRef().getName()) : Stream.empty())
        .forEach(role -> assertThat(role).isNotIn("cluster-admin", "admin", "edit"));
  }
}
