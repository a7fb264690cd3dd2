package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.marcnuri.helm.LintResult;
import dev.sluice.conformance.HelmChart.ValueSet;
import dev.sluice.injector.webhook.WebhookConfigurations;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code charts/sluice} rendered by Helm's library: {@code helm lint --strict} passes, and {@code helm
 * template} for the defaults and three value sets equals its golden file in
 * {@code src/test/resources/chart/golden} ({@code -Dgolden.update=true} rewrites them).
 */
class ChartRenderTest {
  private static final Path VALUES = Path.of("src", "test", "resources", "chart");
  private static final Path GOLDEN = VALUES.resolve("golden");

  @Test
  void lint_passesStrict() {
    LintResult lint = HelmChart.lint();
    assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
    assertThat(lint.getMessages()).allMatch(m -> m.startsWith("[INFO]"), "only [INFO] messages");
  }

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void template_equalsGolden(ValueSet set) throws IOException {
    String rendered = HelmChart.template(set);
    Path golden = GOLDEN.resolve(set.golden());
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(GOLDEN);
      Files.writeString(golden, rendered, StandardCharsets.UTF_8);
      return;
    }
    if (!Files.exists(golden)) {
      fail(golden + " is missing; run with -Dgolden.update=true");
    }
    List<String> expected = Files.readAllLines(golden, StandardCharsets.UTF_8);
    List<String> actual = rendered.lines().toList();
    for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
      String e = i < expected.size() ? expected.get(i) : "<end>";
      String a = i < actual.size() ? actual.get(i) : "<end>";
      if (!e.equals(a)) {
        fail("%s differs at line %d:%n  golden:   %s%n  rendered: %s%n(-Dgolden.update=true rewrites it)",
            golden, i + 1, e, a);
      }
    }
  }

  @Test
  void goldenDirectory_holdsTheGoldenOfEveryValueSet_andNothingElse() throws IOException {
    List<String> stale = staleFiles(GOLDEN, VALUES);
    if (Boolean.getBoolean("golden.update")) {
      for (String file : stale) {
        Files.deleteIfExists(GOLDEN.resolve(file));
      }
      return;
    }
    assertThat(stale).as("golden or values files that no value set compares; remove them, or add a ValueSet").isEmpty();
  }

  /** Goldens of no value set, and values files no value set reads. */
  static List<String> staleFiles(Path golden, Path values) throws IOException {
    Set<String> goldens = Arrays.stream(ValueSet.values()).map(ValueSet::golden)
        .collect(Collectors.toSet());
    Set<String> valueFiles = Arrays.stream(ValueSet.values()).flatMap(v -> Arrays.stream(v.files()))
        .map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    List<String> stale = new ArrayList<>();
    try (Stream<Path> files = Files.list(golden)) {
      files.map(p -> p.getFileName().toString()).filter(n -> !goldens.contains(n)).sorted().forEach(stale::add);
    }
    try (Stream<Path> files = Files.list(values)) {
      files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
          .filter(n -> !valueFiles.contains(n)).sorted().forEach(stale::add);
    }
    return stale;
  }

  @Test
  void staleFiles_reportsAGoldenOfNoValueSet_andAnUnreadValuesFile(@TempDir Path dir)
      throws IOException {
    Path golden = Files.createDirectories(dir.resolve("golden"));
    for (ValueSet set : ValueSet.values()) {
      Files.writeString(golden.resolve(set.golden()), "x");
      for (Path file : set.files()) {
        Files.writeString(dir.resolve(file.getFileName().toString()), "x");
      }
    }
    assertThat(staleFiles(golden, dir)).isEmpty();

    Files.writeString(golden.resolve("gone.yaml"), "x");
    Files.writeString(dir.resolve("values-gone.yaml"), "x");
    assertThat(staleFiles(golden, dir)).containsExactly("gone.yaml", "values-gone.yaml");
  }

  @Test
  void webhookConfiguration_isTheInjectorsRecommendedOne() {
    MutatingWebhookConfiguration rendered = HelmChart.objects(HelmChart.template()).stream()
        .filter(MutatingWebhookConfiguration.class::isInstance).map(MutatingWebhookConfiguration.class::cast)
        .findFirst().orElseThrow();
    WebhookClientConfig clientConfig = rendered.getWebhooks().get(0).getClientConfig();
    assertThat(clientConfig.getService().getName()).isEqualTo("sluice-injector");
    assertThat(clientConfig.getService().getNamespace()).isEqualTo(HelmChart.NAMESPACE);
    assertThat(clientConfig.getCaBundle()).as("left to the control plane, so Helm never resets it").isNull();
    MutatingWebhookConfiguration recommended = WebhookConfigurations.mutatingWebhookConfiguration(
        "sluice-injector", clientConfig, HelmChart.NAMESPACE, "Fail");
    assertThat(rendered.getWebhooks()).isEqualTo(recommended.getWebhooks());
  }

  @Test
  void noInjector_rendersNoInjectorObjects() {
    List<HasMetadata> objects = HelmChart.objects(HelmChart.template(ValueSet.NO_INJECTOR));
    assertThat(objects).noneMatch(o -> o.getMetadata().getName().contains("injector"));
    assertThat(objects).noneMatch(MutatingWebhookConfiguration.class::isInstance);
  }
}
