package dev.sluice.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * Which real Envoy the tests run, and how: a local {@code envoy} process, or the same version's
 * image where only a Docker engine offers one.
 *
 * <p>The Envoy suite runs once per <em>slot</em> (system property {@code sluice.envoy.slot}):
 * {@code primary}, the pinned version every Envoy test is written against, and {@code latest}, the
 * newest release (a second Surefire execution). For a slot, in order:
 * <ol>
 *   <li>{@code SLUICE_ENVOY_BIN} ({@code SLUICE_ENVOY_LATEST_BIN} for latest): a binary the user chose;
 *   <li>the slot's version as {@code peers/install} put it in the project's cache;
 *   <li>a Docker engine: the {@code envoyproxy/envoy} image of the slot's version;
 *   <li>primary only: {@code envoy} on the PATH, whatever its version (logged).
 * </ol>
 * None: {@link Peers#missing}, a skip on a laptop and an error on CI.
 */
record EnvoyRuntime(String slot, String version, Optional<Path> binary) {
  private static final Logger log = LoggerFactory.getLogger(EnvoyRuntime.class);
  private static final Pattern VERSION = Pattern.compile("/(\\d+\\.\\d+\\.\\d+)/");
  private static EnvoyRuntime selected;

  /** The Envoy of this JVM's slot, found once. */
  static synchronized EnvoyRuntime select() {
    if (selected == null) {
      selected = find(System.getProperty("sluice.envoy.slot", "primary"));
      log.info("Envoy suite ({} slot) runs Envoy {} {}", selected.slot, selected.version,
          selected.binary.map(b -> "from " + b).orElse("in Docker, image " + selected.image()));
    }
    return selected;
  }

  private static EnvoyRuntime find(String slot) {
    boolean primary = slot.equals("primary");
    if (!primary && !slot.equals("latest")) {
      throw new IllegalArgumentException("sluice.envoy.slot must be primary or latest, was " + slot);
    }
    String pinned = Peers.version("envoy." + slot);
    String chosen = System.getenv(primary ? "SLUICE_ENVOY_BIN" : "SLUICE_ENVOY_LATEST_BIN");
    if (chosen != null && !chosen.isBlank()) {
      Path bin = Path.of(chosen);
      return new EnvoyRuntime(slot, versionOf(bin), Optional.of(bin));
    }
    Optional<Path> installed = Peers.installedEnvoy(pinned);
    if (installed.isPresent()) {
      return new EnvoyRuntime(slot, versionOf(installed.get()), installed);
    }
    if (DockerClientFactory.instance().isDockerAvailable()) {
      return new EnvoyRuntime(slot, pinned, Optional.empty());
    }
    Optional<Path> onPath = primary ? Peers.onPath("envoy") : Optional.empty();
    if (onPath.isPresent()) {
      return new EnvoyRuntime(slot, versionOf(onPath.get()), onPath);
    }
    throw Peers.missing("No Envoy " + pinned + " for the " + slot + " slot: not in " + Peers.cache()
        + (primary ? ", no SLUICE_ENVOY_BIN, not on the PATH" : ", no SLUICE_ENVOY_LATEST_BIN")
        + ", and no Docker engine");
  }

  /** The image of this version, for Docker. */
  String image() {
    return "envoyproxy/envoy:v" + version;
  }

  /** The version {@code envoy --version} reports ({@code .../1.36.2/Clean/RELEASE/BoringSSL}). */
  static String versionOf(Path binary) {
    try {
      Process p = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      Matcher m = VERSION.matcher(out);
      if (!m.find()) {
        throw new IllegalStateException(binary + " --version printed no version: " + out.strip());
      }
      return m.group(1);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + binary + " --version", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Starts Envoy on this bootstrap, written to {@code dir} under {@code fileName}. */
  EnvoyProcess start(String bootstrap, String fileName, Path dir) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(fileName), bootstrap);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the Envoy bootstrap to " + dir, e);
    }
    return binary.<EnvoyProcess>map(b -> LocalEnvoy.start(b, dir, fileName))
        .orElseGet(() -> ContainerEnvoy.start(image(), dir, fileName));
  }
}
