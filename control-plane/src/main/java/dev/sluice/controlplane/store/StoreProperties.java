package dev.sluice.controlplane.store;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The embedded store.
 *
 * @param path folder of the SQLite file ({@code sluice.db}); created when missing
 * @param type {@code sqlite} (the default: routes in that file) or {@code kubernetes} (routes are
 *     ModelRoute custom resources in the API server)
 */
@ConfigurationProperties("sluice.store")
public record StoreProperties(Path path, String type) {
  public StoreProperties {
    path = path == null ? Path.of("data") : path;
    type = type == null ? "sqlite" : type;
    if (!type.equals("sqlite") && !type.equals("kubernetes")) {
      throw new IllegalArgumentException("sluice.store.type must be sqlite or kubernetes, was '" + type + "'");
    }
  }

  public boolean kubernetes() {
    return type.equals("kubernetes");
  }

  public Path databaseFile() {
    return path.resolve("sluice.db");
  }
}
