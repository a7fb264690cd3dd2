package dev.sluice.conformance;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code charts/sluice} through Helm's own library (helm-java): lint, template and install as the
 * {@code helm} command does them, with no helm binary. Templates render for the Kubernetes version the
 * tests' API server runs (the chart requires 1.29 or later).
 */
final class HelmChart {
  static final Path DIR = Path.of("..", "charts", "sluice").toAbsolutePath().normalize();
  static final String RELEASE = "sluice";
  static final String NAMESPACE = "sluice-system";
  private static final Path VALUES = Path.of("src", "test", "resources", "chart").toAbsolutePath();

  /** The value sets the goldens and the checks run over: the defaults and three others. */
  enum ValueSet {
    DEFAULT(null), HA("values-ha.yaml"), NO_INJECTOR("values-no-injector.yaml"),
    CERT_MANAGER("values-cert-manager.yaml");

    private final String file;

    ValueSet(String file) {
      this.file = file;
    }

    Path[] files() {
      return file == null ? new Path[0] : new Path[] {VALUES.resolve(file)};
    }

    String golden() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ".yaml";
    }
  }

  private HelmChart() {}

  static Helm helm() {
    return new Helm(DIR);
  }

  static LintResult lint() {
    return helm().lint().strict().call();
  }

  /** {@code helm template sluice charts/sluice -n sluice-system -f <files>}; throws with Helm's message. */
  static String template(Path... valuesFiles) {
    TemplateCommand template = helm().template().withName(RELEASE).withNamespace(NAMESPACE)
        .withKubeVersion(Peers.version("kubernetes"));
    for (Path file : valuesFiles) {
      template = template.withValuesFile(file);
    }
    return template.call();
  }

  static String template(ValueSet set) {
    return template(set.files());
  }

  /** The rendered documents of these kinds, as one multi-document YAML for {@code kubectl apply -f -}. */
  static String documents(String rendered, java.util.Set<String> kinds) {
    return Arrays.stream(rendered.split("(?m)^---\\s*$"))
        .filter(doc -> doc.lines().anyMatch(line -> line.startsWith("kind:")
            && kinds.contains(line.substring("kind:".length()).strip())))
        .collect(java.util.stream.Collectors.joining("\n---\n"));
  }

  /** The default values' service accounts and RBAC, for {@code kubectl apply -f -}. */
  static String rbac() {
    return documents(template(), java.util.Set.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role",
        "RoleBinding"));
  }

  /** The rendered objects, typed where fabric8 knows the kind. */
  static List<HasMetadata> objects(String rendered) {
    return Arrays.stream(rendered.split("(?m)^---\\s*$"))
        .filter(doc -> doc.lines().anyMatch(line -> line.startsWith("kind:")))
        .map(doc -> (HasMetadata) Serialization.unmarshal(doc, HasMetadata.class))
        .toList();
  }
}
