package dev.sluice.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Envoy as a local process: {@code envoy -c <dir>/<bootstrap>}, standard output (the access log) to
 * {@code <dir>/stdout.log} and standard error (Envoy's own log) to {@code <dir>/stderr.log}, both
 * kept after the test. Hot restart is off, so any number of Envoys can run side by side.
 */
final class LocalEnvoy implements EnvoyProcess {
  private static final Duration STARTUP = Duration.ofSeconds(60);
  private final Process process;
  private final Path out;
  private final Path err;

  private LocalEnvoy(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  static LocalEnvoy start(Path binary, Path dir, String fileName) {
    Path out = dir.resolve("stdout.log");
    Path err = dir.resolve("stderr.log");
    Process process;
    try {
      process = new ProcessBuilder(binary.toString(), "-c", dir.resolve(fileName).toString(),
          "--disable-hot-restart", "--log-level", "info")
          .redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + binary, e);
    }
    LocalEnvoy envoy = new LocalEnvoy(process, out, err);
    envoy.awaitStarted();
    return envoy;
  }

  /** Envoy's own line for the end of its start-up, as the container path waits for it too. */
  private void awaitStarted() {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      if (read(err).contains("starting main dispatch loop")) {
        return;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("Envoy exited with " + process.exitValue() + " while starting:\n" + logs());
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    close();
    throw new IllegalStateException("Envoy did not start within " + STARTUP + ":\n" + logs());
  }

  @Override
  public String stdout() {
    return read(out);
  }

  @Override
  public String logs() {
    return read(err) + read(out);
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
