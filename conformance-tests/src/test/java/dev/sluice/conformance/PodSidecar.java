package dev.sluice.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;

/**
 * A sidecar Envoy in a {@link PodNamespace}, run as the proxy's user (uid 1337), whose own
 * connections the capture rules leave alone. Envoy's binary is copied where that user can run it
 * (the project's cache may sit in root's home). Its standard output (the access log) and error go
 * to {@code target/envoy/<name>-<slot>/}.
 */
final class PodSidecar {
  static final int PROXY_UID = 1337;

  private final Path dir;

  private PodSidecar(Path dir) {
    this.dir = dir;
  }

  /**
   * Starts {@code envoy <args>} in the pod as uid 1337; when {@code tokenDir} is not null, it is bind
   * mounted at {@code /var/run/secrets/sluice} first (in the pod's own mount namespace), where the
   * kubelet would project the service-account token.
   */
  static PodSidecar start(PodNamespace pod, EnvoyRuntime runtime, String name, List<String> args, Path tokenDir) {
    Path binary = runtime.binary().orElseThrow(() -> Peers.missing(
        "the sidecar tests run Envoy as a process in a network namespace; Envoy " + runtime.version() + " is only in Docker"));
    Path dir = EnvoyGateway.OUTPUT.resolve(name + "-" + runtime.slot());
    try {
      Files.createDirectories(dir);
      Path envoy = runnableCopy(binary, runtime.version());
      Path launcher = dir.resolve("launch.sh");
      Files.writeString(launcher, """
          #!/bin/sh
          # Runs in the pod: mount the token where the injected bootstrap reads it, then become the proxy.
          set -e
          if [ -n "$1" ]; then mkdir -p /var/run/secrets/sluice; mount --bind "$1" /var/run/secrets/sluice; fi
          shift
          exec setpriv --reuid=%d --regid=%d --clear-groups "$@"
          """.formatted(PROXY_UID, PROXY_UID), StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
      List<String> command = new ArrayList<>(List.of("sh", launcher.toString(),
          tokenDir == null ? "" : tokenDir.toString(), envoy.toString()));
      command.addAll(args);
      Files.writeString(dir.resolve("command.txt"), String.join("\n", command));
      pod.start(command, dir.resolve("stdout.log").toAbsolutePath(), dir.resolve("stderr.log").toAbsolutePath());
      return new PodSidecar(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs an injected pod's proxy as the kubelet would: the {@code sluice-init} container's command in
   * the pod's network namespace, the projected token where the bootstrap reads it, then Envoy with
   * the {@code sluice-proxy} container's arguments for a pod named {@code podName}; returns once
   * Envoy's admin says LIVE (it has its first configuration from the control plane).
   */
  static PodSidecar runInjected(PodNamespace pod, EnvoyRuntime runtime, InjectedPod injected, String podName,
      String token, Path dir) throws IOException, InterruptedException {
    pod.exec(injected.initCommand().toArray(String[]::new));
    Path tokenDir = dir.resolve("token");
    Files.createDirectories(tokenDir);
    Files.writeString(tokenDir.resolve("token"), token);
    PodSidecar sidecar = start(pod, runtime, "sidecar-" + podName, injected.proxyArgs(podName), tokenDir);
    sidecar.awaitLive(pod, Duration.ofSeconds(30));
    return sidecar;
  }

  /** Until Envoy's admin (127.0.0.1:15000 in the pod) says LIVE. */
  void awaitLive(PodNamespace pod, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      last = pod.execMayFail("curl", "-s", "--max-time", "2", "http://127.0.0.1:15000/ready");
      if (last.strip().equals("LIVE")) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the sidecar was not LIVE within " + timeout + " (last: " + last + ")\n" + logs());
  }

  /** The access log so far. */
  String accessLog() {
    return read("stdout.log");
  }

  String logs() {
    return read("stderr.log") + read("stdout.log");
  }

  private String read(String file) {
    try {
      Path p = dir.resolve(file);
      return Files.exists(p) ? Files.readString(p) : "";
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }

  /** Envoy's binary where uid 1337 may read and run it, copied once per version. */
  private static synchronized Path runnableCopy(Path binary, String version) throws IOException {
    Path copy = Path.of("target", "envoy-bin", version, "envoy").toAbsolutePath();
    if (!Files.exists(copy)) {
      Files.createDirectories(copy.getParent());
      Path partial = copy.resolveSibling("envoy.partial");
      Files.copy(binary.toRealPath(), partial, StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.move(partial, copy, StandardCopyOption.ATOMIC_MOVE);
    }
    return copy;
  }
}
