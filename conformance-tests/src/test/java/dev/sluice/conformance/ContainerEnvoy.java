package dev.sluice.conformance;

import java.nio.file.Path;
import java.time.Duration;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * Envoy in a container where a Docker engine exists and no local binary was found. The control
 * plane and the backends bind 127.0.0.1, so Envoy runs with host networking: this needs a Linux
 * Docker host.
 */
final class ContainerEnvoy implements EnvoyProcess {
  private final GenericContainer<?> container;

  private ContainerEnvoy(GenericContainer<?> container) {
    this.container = container;
  }

  static ContainerEnvoy start(String image, Path dir, String fileName) {
    String path = "/etc/envoy/" + fileName;
    GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(image))
        .withNetworkMode("host")
        // The image's entry point runs Envoy as user envoy: Transferable's default mode, 0644, lets it read the file.
        .withCopyToContainer(Transferable.of(readBootstrap(dir.resolve(fileName))), path)
        .withCommand("envoy", "-c", path)
        .waitingFor(Wait.forLogMessage(".*starting main dispatch loop.*", 1).withStartupTimeout(Duration.ofSeconds(60)));
    container.start();
    return new ContainerEnvoy(container);
  }

  private static String readBootstrap(Path file) {
    try {
      return java.nio.file.Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public String stdout() {
    return container.getLogs(OutputFrame.OutputType.STDOUT);
  }

  @Override
  public String logs() {
    return container.getLogs();
  }

  @Override
  public void close() {
    container.stop();
  }
}
