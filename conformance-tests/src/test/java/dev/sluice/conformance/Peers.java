package dev.sluice.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import org.opentest4j.TestAbortedException;

/**
 * Where the real xDS peers are: Envoy binaries and gRPC C-core's Python, as {@code peers/install}
 * put them in the project's cache folder, pinned by {@code peers/versions.properties}; and the
 * Debian packages it installs (iptables, Chromium and its chromedriver), on the PATH.
 *
 * <p>A missing peer skips its tests with the reason on a developer's machine, and fails them on CI
 * ({@code CI=true}, or {@code -Dsluice.peers.required=true}): CI must never pass by skipping.
 */
final class Peers {
  static final Path HOME = Path.of("peers").toAbsolutePath();
  private static final Properties VERSIONS = load(HOME.resolve("versions.properties"));

  private Peers() {}

  /** The pinned version of a peer, by its key in {@code versions.properties}. */
  static String version(String key) {
    String v = VERSIONS.getProperty(key);
    if (v == null) {
      throw new IllegalStateException("no " + key + " in " + HOME.resolve("versions.properties"));
    }
    return v.trim();
  }

  /** {@code $SLUICE_CACHE}, else {@code $XDG_CACHE_HOME/sluice}, else {@code ~/.cache/sluice}, as in peers/install. */
  static Path cache() {
    String explicit = System.getenv("SLUICE_CACHE");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("sluice");
  }

  /** The Envoy binary of a version that peers/install put in the cache, if it did. */
  static Optional<Path> installedEnvoy(String version) {
    return executable(cache().resolve("envoy-" + version).resolve("envoy"));
  }

  /** The Python of the grpcio virtualenv, if peers/install made it. */
  static Optional<Path> grpcioPython() {
    Path venv = cache().resolve("grpcio-" + version("grpcio"));
    return Files.exists(venv.resolve(".installed")) ? executable(venv.resolve("bin/python")) : Optional.empty();
  }

  /** The folder holding kube-apiserver, etcd and kubectl, if peers/install built them. */
  static Optional<Path> installedKube() {
    Path dir = cache().resolve("kube-" + version("kubernetes"));
    return Files.exists(dir.resolve(".installed")) ? Optional.of(dir.resolve("bin")) : Optional.empty();
  }

  /** Debian's Chromium ({@code peers/install chromium}: the {@code chromium} package), if installed. */
  static Optional<Path> chromium() {
    return onPath("chromium");
  }

  /** Debian's chromedriver for that Chromium ({@code chromium-driver}), if installed. */
  static Optional<Path> chromedriver() {
    return onPath("chromedriver");
  }

  /** A program on the PATH. */
  static Optional<Path> onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Optional<Path> found = executable(Path.of(dir, program));
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  static boolean required() {
    return "true".equalsIgnoreCase(System.getenv("CI")) || Boolean.getBoolean("sluice.peers.required");
  }

  /**
   * Ends the test for want of a peer: aborted (skipped, with the reason) on a developer's machine,
   * an error on CI.
   */
  static RuntimeException missing(String reason) {
    String how = reason + " (run conformance-tests/peers/install)";
    if (required()) {
      return new IllegalStateException("CI must run every peer, but: " + how);
    }
    return new TestAbortedException(how);
  }

  private static Optional<Path> executable(Path p) {
    return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
  }

  private static Properties load(Path file) {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return p;
  }
}
