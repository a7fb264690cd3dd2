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
import java.util.stream.Stream;

/**
 * Golden files: {@code testdata/in/<case>.yaml} holds ModelRoutes (YAML documents separated by
 * {@code ---}); {@code testdata/out/<case>.<type>.yaml} the expected Envoy resources. Run with
 * {@code -Dgolden.update=true} to rewrite the outputs, which also deletes outputs of removed cases.
 */
final class GoldenFiles {
  static final Path ROOT = Path.of("src/test/resources/testdata");
  static final Path IN = ROOT.resolve("in");
  static final Path OUT = ROOT.resolve("out");

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

  /** With -Dgolden.update=true: outputs whose case no longer exists are deleted. */
  static void deleteStale(List<String> cases) throws IOException {
    if (!updating() || !Files.exists(OUT)) {
      return;
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
