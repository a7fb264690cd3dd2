package dev.sluice.translate;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelRouteCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Golden files: {@code testdata/in/<case>.yaml} holds ModelRoutes (YAML documents separated by
 * {@code ---}); {@code testdata/out/<case>.<type>.yaml} the expected Envoy resources. A case whose
 * control-plane settings are not the defaults has {@code testdata/settings/<case>.yaml} (see
 * {@link #settings}). Run with {@code -Dgolden.update=true} to rewrite the outputs, which also
 * deletes outputs of removed cases.
 */
final class GoldenFiles {
  static final Path ROOT = Path.of("src/test/resources/testdata");
  static final Path IN = ROOT.resolve("in");
  static final Path OUT = ROOT.resolve("out");
  static final Path SETTINGS = ROOT.resolve("settings");
  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  private GoldenFiles() {}

  static boolean updating() {
    return Boolean.getBoolean("golden.update");
  }

  static List<String> cases() throws IOException {
    try (Stream<Path> files = Files.list(IN)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml"))
          .map(n -> n.substring(0, n.length() - ".yaml".length()))
          .sorted()
          .toList();
    }
  }

  static List<ModelRoute> input(String name) throws IOException {
    String text = Files.readString(IN.resolve(name + ".yaml"));
    List<ModelRoute> routes = new ArrayList<>();
    for (String doc : text.split("(?m)^---\\s*$")) {
      if (doc.isBlank()) {
        continue;
      }
      ModelRouteCodec.Parsed parsed = ModelRouteCodec.parse(doc, ModelRouteCodec.Format.YAML);
      if (!parsed.ok()) {
        throw new IllegalArgumentException(name + ": input does not parse: " + parsed.errors());
      }
      routes.add(parsed.route());
    }
    return routes;
  }

  /**
   * The translator settings of a case: {@link TranslatorSettings#DEFAULTS} unless
   * {@code testdata/settings/<case>.yaml} exists, which may hold, all keys optional but those of
   * {@code tracing}:
   *
   * <pre>
   * trustDomain: example.org
   * tracing: {provider: OPENTELEMETRY, collectorHost: otel.observability, collectorPort: 4317, samplingPercent: 1}
   * </pre>
   *
   * Unknown keys fail the case, as they do in ModelRoutes.
   */
  static TranslatorSettings settings(String name) throws IOException {
    Path file = SETTINGS.resolve(name + ".yaml");
    if (!Files.exists(file)) {
      return TranslatorSettings.DEFAULTS;
    }
    JsonNode doc = YAML.readTree(Files.readString(file));
    requireOnly(file, doc, Set.of("trustDomain", "tracing"));
    TranslatorSettings settings = TranslatorSettings.DEFAULTS;
    if (doc.has("trustDomain")) {
      settings = settings.withTrustDomain(doc.get("trustDomain").asString());
    }
    JsonNode tracing = doc.get("tracing");
    if (tracing != null) {
      requireOnly(file, tracing, Set.of("provider", "collectorHost", "collectorPort", "samplingPercent"));
      settings = settings.withTracing(new TracingSettings(
          TracingSettings.Provider.valueOf(tracing.required("provider").asString()),
          tracing.required("collectorHost").asString(),
          tracing.required("collectorPort").asInt(),
          tracing.required("samplingPercent").asDouble()));
    }
    return settings;
  }

  /** The translator a case runs through: Sluice's, with the case's settings. */
  static EnvoyTranslator translator(String name) throws IOException {
    return EnvoyTranslator.of(settings(name));
  }

  private static void requireOnly(Path file, JsonNode node, Set<String> keys) {
    for (String key : node.propertyNames()) {
      if (!keys.contains(key)) {
        throw new IllegalArgumentException(file + ": unknown key '" + key + "', expected one of " + keys);
      }
    }
  }

  /** Null when the output matches (or was rewritten); otherwise a unified diff, expected -> actual. */
  static String compare(String file, String actual) throws IOException {
    Path path = OUT.resolve(file);
    if (updating()) {
      Files.createDirectories(OUT);
      Files.writeString(path, actual);
      return null;
    }
    if (!Files.exists(path)) {
      return file + " is missing; run the test with -Dgolden.update=true to create it";
    }
    String expected = Files.readString(path);
    if (expected.equals(actual)) {
      return null;
    }
    List<String> original = expected.lines().toList();
    Patch<String> patch = DiffUtils.diff(original, actual.lines().toList());
    List<String> diff = UnifiedDiffUtils.generateUnifiedDiff("expected/" + file, "actual/" + file, original, patch, 3);
    return String.join("\n", diff);
  }

  /** The kinds of output file a case has: one per resource type, and its rejections when it has any. */
  static final List<String> TYPES = List.of("listeners", "routes", "clusters", "endpoints");
  static final String REJECTED = "rejected";

  /**
   * Golden files no test compares: outputs of no case or of no kind a case writes, and settings of
   * no case. Each would pass unnoticed while the translation it once pinned changes, so each fails
   * the build until deleted (or rewritten by {@code -Dgolden.update=true}).
   *
   * @param extras output files other tests compare, by name
   */
  static List<String> unchecked(Path out, Path settings, List<String> cases, Set<String> extras) throws IOException {
    List<String> problems = new ArrayList<>();
    if (Files.exists(out)) {
      try (Stream<Path> files = Files.list(out)) {
        for (Path p : files.sorted().toList()) {
          String n = p.getFileName().toString();
          if (extras.contains(n)) {
            continue;
          }
          String[] parts = n.split("\\.");
          boolean known = parts.length == 3 && "yaml".equals(parts[2]) && cases.contains(parts[0])
              && (TYPES.contains(parts[1]) || REJECTED.equals(parts[1]));
          if (!known) {
            problems.add(out.resolve(n) + " is compared by no test (no case or kind of output '" + n
                + "'); delete it, or run with -Dgolden.update=true");
          }
        }
      }
    }
    if (Files.exists(settings)) {
      try (Stream<Path> files = Files.list(settings)) {
        for (Path p : files.sorted().toList()) {
          String n = p.getFileName().toString();
          if (!n.endsWith(".yaml") || !cases.contains(n.substring(0, n.length() - ".yaml".length()))) {
            problems.add(p + " names no case of " + IN);
          }
        }
      }
    }
    return problems;
  }

  /**
   * Null when a case that rejects nothing has no rejections file; otherwise why the file is stale
   * (with -Dgolden.update=true it is deleted).
   */
  static String noRejections(String name) throws IOException {
    Path path = OUT.resolve(name + "." + REJECTED + ".yaml");
    if (!Files.exists(path)) {
      return null;
    }
    if (updating()) {
      Files.delete(path);
      return null;
    }
    return path.getFileName() + " expects rejections, but the case rejects nothing now; delete it, or run with"
        + " -Dgolden.update=true";
  }

  /** With -Dgolden.update=true: outputs whose case no longer exists are deleted. */
  static void deleteStale(List<String> cases) throws IOException {
    if (!updating() || !Files.exists(OUT)) {
      return;
    }
    if (Files.exists(SETTINGS)) {
      try (Stream<Path> files = Files.list(SETTINGS)) {
        for (Path p : files.toList()) {
          String n = p.getFileName().toString();
          if (!cases.contains(n.substring(0, n.indexOf('.')))) {
            throw new IllegalStateException(p + " names no case of " + IN);
          }
        }
      }
    }
    try (Stream<Path> files = Files.list(OUT)) {
      for (Path p : files.toList()) {
        String n = p.getFileName().toString();
        String caseName = n.substring(0, n.indexOf('.'));
        if (!cases.contains(caseName)) {
          Files.delete(p);
        }
      }
    }
  }
}
