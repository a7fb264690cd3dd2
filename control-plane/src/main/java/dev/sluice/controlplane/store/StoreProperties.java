package dev.sluice.controlplane.store;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The embedded store.
 *
 * @param path folder of the SQLite file ({@code sluice.db}); created when missing
 */
@ConfigurationProperties("sluice.store")
public record StoreProperties(Path path) {
  public StoreProperties {
    path = path == null ? Path.of("data") : path;
  }

  public Path databaseFile() {
    return path.resolve("sluice.db");
  }
}
