package dev.sluice.controlplane.store;

import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelRouteCodec;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The embedded store ({@code sluice.store.type=sqlite}, the default): ModelRoutes and their
 * revisions in SQLite. Writes are compare-and-set on resourceVersion,
 * serialised in one transaction each; readers never block writers (WAL).
 *
 * <p>Thread-safe: writes hold the store's monitor, reads go straight to the database.
 */
@Component
@ConditionalOnProperty(name = "sluice.store.type", havingValue = "sqlite", matchIfMissing = true)
class SqliteRouteStore implements RouteStore {
  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final Clock clock;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  SqliteRouteStore(DataSource dataSource, TransactionTemplate tx, Clock clock) {
    this.jdbc = JdbcClient.create(dataSource);
    this.tx = tx;
    this.clock = clock;
  }

  /** Called after every committed change, on the writer's thread. */
  @Override
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  @Override
  public Optional<ModelRoute> get(String namespace, String name) {
    return jdbc.sql("SELECT document FROM model_routes WHERE namespace = ? AND name = ?")
        .params(namespace, name)
        .query(String.class)
        .optional()
        .map(SqliteRouteStore::decode);
  }

  /** All routes, or those of one namespace when it is not null; ordered by namespace and name. */
  @Override
  public List<ModelRoute> list(String namespace) {
    var sql = namespace == null
        ? jdbc.sql("SELECT document FROM model_routes ORDER BY namespace, name")
        : jdbc.sql("SELECT document FROM model_routes WHERE namespace = ? ORDER BY name").param(namespace);
    return sql.query(String.class).list().stream().map(SqliteRouteStore::decode).toList();
  }

  /** How many routes each namespace holds; namespaces without routes are absent. */
  @Override
  public Map<String, Long> countByNamespace() {
    Map<String, Long> counts = new TreeMap<>();
    jdbc.sql("SELECT namespace, COUNT(*) FROM model_routes GROUP BY namespace")
        .query(rs -> {
          counts.put(rs.getString(1), rs.getLong(2));
        });
    return counts;
  }

  /**
   * Creates or replaces a route. {@code generation} moves only when the spec changes; a write that
   * changes nothing returns the stored route untouched (no new resourceVersion, no notification).
   *
   * @param expectedResourceVersion the resourceVersion the writer last saw, or null for "any"
   * @return the route as stored, and whether anything changed
   */
  @Override
  public synchronized WriteOutcome put(ModelRoute route, String expectedResourceVersion) {
    WriteOutcome outcome =
        tx.execute(
            status -> {
              Optional<ModelRoute> current = get(route.metadata().namespace(), route.metadata().name());
              RouteStore.checkVersion(route.key(), expectedResourceVersion, current);
              if (current.isPresent() && sameContent(current.get(), route)) {
                return new WriteOutcome(current.get(), false, false, current.get());
              }
              long generation = current
                  .map(c -> Objects.equals(c.spec(), route.spec()) ? c.metadata().generation() : c.metadata().generation() + 1)
                  .orElse(1L);
              String resourceVersion = Long.toString(nextResourceVersion());
              ModelRoute stored = route.withMetadata(route.metadata().withServerFields(resourceVersion, generation))
                  .withStatus(null);
              String doc = ModelRouteCodec.toJson(stored);
              jdbc.sql("INSERT INTO model_routes (namespace, name, resource_version, generation, document) VALUES (?, ?, ?, ?, ?) "
                      + "ON CONFLICT (namespace, name) DO UPDATE SET resource_version = excluded.resource_version, "
                      + "generation = excluded.generation, document = excluded.document")
                  .params(stored.metadata().namespace(), stored.metadata().name(), Long.parseLong(resourceVersion), generation, doc)
                  .update();
              if (current.isEmpty() || current.get().metadata().generation() != generation) {
                jdbc.sql("INSERT OR REPLACE INTO route_revisions (namespace, name, generation, resource_version, created_at, document) "
                        + "VALUES (?, ?, ?, ?, ?, ?)")
                    .params(stored.metadata().namespace(), stored.metadata().name(), generation,
                        Long.parseLong(resourceVersion), clock.instant().toString(), doc)
                    .update();
              }
              return new WriteOutcome(stored, true, current.isEmpty(), current.orElse(null));
            });
    if (outcome.changed()) {
      listeners.forEach(Runnable::run);
    }
    return outcome;
  }

  /** Deletes a route and its revisions; empty when there was none. */
  @Override
  public synchronized Optional<ModelRoute> delete(String namespace, String name, String expectedResourceVersion) {
    Optional<ModelRoute> deleted =
        tx.execute(
            status -> {
              Optional<ModelRoute> current = get(namespace, name);
              if (current.isEmpty()) {
                return current;
              }
              RouteStore.checkVersion(current.get().key(), expectedResourceVersion, current);
              jdbc.sql("DELETE FROM model_routes WHERE namespace = ? AND name = ?").params(namespace, name).update();
              jdbc.sql("DELETE FROM route_revisions WHERE namespace = ? AND name = ?").params(namespace, name).update();
              nextResourceVersion();
              return current;
            });
    if (deleted.isPresent()) {
      listeners.forEach(Runnable::run);
    }
    return deleted;
  }

  /** The revisions of a route, oldest first. */
  @Override
  public List<Revision> revisions(String namespace, String name) {
    return jdbc.sql("SELECT generation, resource_version, created_at, document FROM route_revisions "
            + "WHERE namespace = ? AND name = ? ORDER BY generation")
        .params(namespace, name)
        .query((rs, i) -> new Revision(rs.getLong(1), Long.toString(rs.getLong(2)),
            Instant.parse(rs.getString(3)), decode(rs.getString(4))))
        .list();
  }

  private static boolean sameContent(ModelRoute current, ModelRoute next) {
    return Objects.equals(current.spec(), next.spec())
        && Objects.equals(current.metadata().labels(), next.metadata().labels());
  }

  private long nextResourceVersion() {
    jdbc.sql("UPDATE counters SET value = value + 1 WHERE name = 'resource_version'").update();
    return jdbc.sql("SELECT value FROM counters WHERE name = 'resource_version'").query(Long.class).single();
  }

  private static ModelRoute decode(String json) {
    ModelRouteCodec.Parsed parsed = ModelRouteCodec.parse(json, ModelRouteCodec.Format.JSON);
    if (!parsed.ok()) {
      throw new IllegalStateException("stored ModelRoute does not parse: " + parsed.errors());
    }
    return parsed.route();
  }
}
