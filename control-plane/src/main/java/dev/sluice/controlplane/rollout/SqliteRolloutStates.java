package dev.sluice.controlplane.rollout;

import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Rollout states in the embedded SQLite store, next to the routes. Reads are served from memory;
 * every write goes to the database first.
 */
final class SqliteRolloutStates implements RolloutStates {
  private static final JsonMapper JSON = JsonMapper.builder()
      .disable(tools.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SqliteRolloutStates.class);

  private final JdbcClient jdbc;
  private final Map<String, RolloutState> cache = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  SqliteRolloutStates(DataSource dataSource) {
    this.jdbc = JdbcClient.create(dataSource);
    jdbc.sql("SELECT namespace, name, state FROM rollouts").query((rs, i) -> {
      String key = rs.getString(1) + "/" + rs.getString(2);
      try {
        cache.put(key, JSON.readValue(rs.getString(3), RolloutState.class));
      } catch (RuntimeException e) {
        // One unreadable row must not stop start-up or every route's publishing: that rollout starts again.
        log.warn("rollout of ModelRoute {}: its stored progress cannot be read ({}); it starts again", key, e.getMessage());
      }
      return null;
    }).list();
  }

  @Override
  public void onWeightsChange(Runnable listener) {
    listeners.add(listener);
  }

  @Override
  public Map<String, RolloutState> all() {
    return new TreeMap<>(cache);
  }

  @Override
  public synchronized boolean replace(String key, RolloutState expected, RolloutState state) {
    if (!java.util.Objects.equals(cache.get(key), expected)) {
      return false;
    }
    String[] parts = split(key);
    jdbc.sql("INSERT INTO rollouts (namespace, name, state) VALUES (?, ?, ?) "
            + "ON CONFLICT (namespace, name) DO UPDATE SET state = excluded.state")
        .params(parts[0], parts[1], JSON.writeValueAsString(state))
        .update();
    RolloutState before = cache.put(key, state);
    if (before == null || before.canaryWeight() != state.canaryWeight()
        || !before.rolloutHash().equals(state.rolloutHash())) {
      listeners.forEach(Runnable::run);
    }
    return true;
  }

  @Override
  public synchronized void remove(String key) {
    String[] parts = split(key);
    jdbc.sql("DELETE FROM rollouts WHERE namespace = ? AND name = ?").params(parts[0], parts[1]).update();
    if (cache.remove(key) != null) {
      listeners.forEach(Runnable::run);
    }
  }

  private static String[] split(String key) {
    int slash = key.indexOf('/');
    return new String[] {key.substring(0, slash), key.substring(slash + 1)};
  }
}
