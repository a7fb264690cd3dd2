package dev.sluice.injector.inject;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Golden AdmissionReviews in {@code src/test/resources/golden/}: {@code <case>.request.json} is sent
 * to the injector as bytes (so it may be deliberately broken); {@code <case>.response.json} is the
 * expected answer and {@code <case>.pod.json} the pod after the answer's patch, present exactly when
 * there is a patch. Cases named {@code classic-*} run with {@code sidecar-mode: classic}, the rest on
 * the defaults. {@code -Dgolden.update=true} rewrites the outputs and deletes those of removed cases;
 * without it, any file that belongs to no case fails the build.
 */
final class GoldenFiles {
  static final Path DIR = Path.of("src/test/resources/golden");
  static final String REQUEST = ".request.json";
  static final Set<String> OUTPUTS = Set.of(".response.json", ".pod.json");

  private GoldenFiles() {}

  static boolean updating() {
    return Boolean.getBoolean("golden.update");
  }

  static List<String> cases() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(REQUEST))
          .map(n -> n.substring(0, n.length() - REQUEST.length())).sorted().toList();
    }
  }

  static InjectorSettings settings(String name) {
    InjectorSettings defaults = InjectorSettings.defaults();
    return name.startsWith("classic-") ? defaults.withSidecarMode(SidecarMode.CLASSIC) : defaults;
  }

  static byte[] request(String name) throws IOException {
    return Files.readAllBytes(DIR.resolve(name + REQUEST));
  }

  /** Null when {@code actual} matches (or was written, or when absent is expected and it is); else the reason. */
  static String compare(String file, String actual) throws IOException {
    Path path = DIR.resolve(file);
    if (updating()) {
      if (actual == null) {
        Files.deleteIfExists(path);
      } else {
        Files.writeString(path, actual);
      }
      return null;
    }
    boolean exists = Files.exists(path);
    if (actual == null) {
      return exists ? file + " exists but the case produces none; run with -Dgolden.update=true" : null;
    }
    if (!exists) {
      return file + " is missing; run the test with -Dgolden.update=true to create it";
    }
    String expected = Files.readString(path);
    if (expected.equals(actual)) {
      return null;
    }
    List<String> original = expected.lines().toList();
    Patch<String> patch = DiffUtils.diff(original, actual.lines().toList());
    return String.join("\n",
        UnifiedDiffUtils.generateUnifiedDiff("expected/" + file, "actual/" + file, original, patch, 3));
  }

  /** Files that belong to no case: deleted when updating, otherwise listed (the test fails on any). */
  static List<Path> stale(List<String> cases) throws IOException {
    List<Path> stale = new ArrayList<>();
    try (Stream<Path> files = Files.list(DIR)) {
      for (Path p : files.toList()) {
        String n = p.getFileName().toString();
        if (n.endsWith(REQUEST)) {
          continue;
        }
        boolean owned = OUTPUTS.stream().anyMatch(suffix -> n.endsWith(suffix)
            && cases.contains(n.substring(0, n.length() - suffix.length())));
        if (!owned) {
          stale.add(p);
        }
      }
    }
    if (updating()) {
      for (Path p : stale) {
        Files.delete(p);
      }
      return List.of();
    }
    return stale;
  }
}
