package dev.sluice.benchmarks.load;

import com.google.protobuf.Any;
import dev.sluice.translate.ContentVersion;
import dev.sluice.translate.XdsResources;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Floor (c): go-control-plane (its SnapshotCache and ADS server, state of the world and delta),
 * the Go program in {@code benchmarks/gcp-floor}. The load tool writes it the two states of
 * {@link FloorConfig}, Sluice's own translation, so that it serves the same resources with the same
 * per-type versions as Sluice and floor (b); it speaks {@link LoadServer}'s line protocol.
 *
 * <p>The binary is {@code -Dload.floor-c.binary} when set ({@code benchmarks/run} builds it);
 * otherwise this builds it with {@code go build} into {@code target/gcp-floor}.
 */
final class GoFloor {
  static final String SOURCE = "gcp-floor";

  /** Writes the workload's two states and starts the Go server on them. */
  static Process start(int routes) throws IOException, InterruptedException {
    FloorConfig config = FloorConfig.of(new Workload(routes));
    Path dir = Files.createDirectories(Path.of("target", "floor-c", routes + "-routes"));
    write(config.before(), dir.resolve("before.pb"));
    write(config.after(), dir.resolve("after.pb"));
    return new ProcessBuilder(binary().toString(), dir.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  /** One state as DiscoveryResponses, one per type, length-delimited, each with its type's content version. */
  static void write(XdsResources state, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      for (String type : FloorConfig.TYPES) {
        var resources = FloorConfig.byName(state, type).values();
        DiscoveryResponse.Builder r = DiscoveryResponse.newBuilder().setTypeUrl(type)
            .setVersionInfo(ContentVersion.of(resources));
        resources.forEach(m -> r.addResources(Any.pack(m)));
        r.build().writeDelimitedTo(out);
      }
    }
  }

  private static Path binary() throws IOException, InterruptedException {
    String given = System.getProperty("load.floor-c.binary", "").trim();
    if (!given.isEmpty()) {
      return Path.of(given);
    }
    Path out = Path.of("target", "gcp-floor").toAbsolutePath();
    Process go = new ProcessBuilder("go", "build", "-o", out.toString(), ".").directory(Path.of(SOURCE).toFile())
        .inheritIO().start();
    if (go.waitFor() != 0) {
      throw new IllegalStateException("go build in benchmarks/" + SOURCE + " failed");
    }
    return out;
  }

  private GoFloor() {}
}
