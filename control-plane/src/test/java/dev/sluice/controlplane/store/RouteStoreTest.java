package dev.sluice.controlplane.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.model.Metadata;
import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelRouteSpec;
import dev.sluice.model.ModelVersion;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

class RouteStoreTest {
  @TempDir Path folder;
  HikariDataSource dataSource;
  RouteStore store;
  final AtomicInteger notifications = new AtomicInteger();

  @BeforeEach
  void open() {
    dataSource = (HikariDataSource) new StoreConfiguration().dataSource(new StoreProperties(folder, null));
    Flyway.configure().dataSource(dataSource).load().migrate();
    store = new SqliteRouteStore(dataSource, new TransactionTemplate(new DataSourceTransactionManager(dataSource)), Clock.systemUTC());
    store.onChange(notifications::incrementAndGet);
  }

  @AfterEach
  void close() {
    dataSource.close();
  }

  static ModelRoute route(int weightV1, Map<String, String> labels) {
    return ModelRoute.of(new Metadata("m", "ml", labels, null, null), new ModelRouteSpec(List.of("m.ml"), 80, null,
        List.of(new ModelVersion("v1", weightV1, List.of("10.0.0.1:80")), new ModelVersion("v2", 100 - weightV1, List.of("10.0.0.2:80"))),
        null, null));
  }

  @Test
  void databaseRunsInWalWithFullSync() throws Exception {
    try (Connection c = dataSource.getConnection()) {
      ResultSet journal = c.createStatement().executeQuery("PRAGMA journal_mode");
      journal.next();
      assertThat(journal.getString(1)).isEqualToIgnoringCase("wal");
      ResultSet sync = c.createStatement().executeQuery("PRAGMA synchronous");
      sync.next();
      assertThat(sync.getInt(1)).as("2 = FULL").isEqualTo(2);
    }
  }

  @Test
  void identicalWrite_changesNothing_andNotifiesNobody() {
    WriteOutcome first = store.put(route(90, Map.of()), null);
    WriteOutcome again = store.put(route(90, Map.of()), null);

    assertThat(again.changed()).isFalse();
    assertThat(again.route().metadata()).isEqualTo(first.route().metadata());
    assertThat(notifications).hasValue(1);
    assertThat(store.revisions("ml", "m")).hasSize(1);
  }

  @Test
  void generationMovesWithTheSpec_notWithLabels() {
    store.put(route(90, Map.of()), null);
    WriteOutcome labelled = store.put(route(90, Map.of("team", "risk")), null);
    WriteOutcome shifted = store.put(route(50, Map.of("team", "risk")), null);

    assertThat(labelled.route().metadata().generation()).isEqualTo(1);
    assertThat(labelled.route().metadata().resourceVersion()).isEqualTo("2");
    assertThat(shifted.route().metadata().generation()).isEqualTo(2);
    assertThat(store.revisions("ml", "m")).extracting(Revision::generation).containsExactly(1L, 2L);
  }

  @Test
  void staleResourceVersion_isRefused_andTheStoreKeepsItsRoute() {
    store.put(route(90, Map.of()), null);
    store.put(route(80, Map.of()), null);

    assertThatThrownBy(() -> store.put(route(50, Map.of()), "1")).isInstanceOf(StaleResourceVersionException.class);
    assertThat(store.get("ml", "m").orElseThrow().spec().versions().get(0).weight()).isEqualTo(80);
  }

  @Test
  void delete_removesRouteAndRevisions() {
    store.put(route(90, Map.of()), null);

    assertThat(store.delete("ml", "m", null)).isPresent();
    assertThat(store.get("ml", "m")).isEmpty();
    assertThat(store.revisions("ml", "m")).isEmpty();
    assertThat(store.delete("ml", "m", null)).isEmpty();
  }

  @Test
  void writeOutcome_carriesTheRouteAsStoredBefore() {
    WriteOutcome created = store.put(route(90, Map.of()), null);
    WriteOutcome replaced = store.put(route(80, Map.of()), null);
    WriteOutcome identical = store.put(route(80, Map.of()), null);

    assertThat(created.previous()).isNull();
    assertThat(replaced.previous()).isEqualTo(created.route());
    assertThat(identical.previous()).isEqualTo(replaced.route());
  }

  @Test
  void countByNamespace_listsOnlyNamespacesWithRoutes() {
    ModelRoute m = route(90, Map.of());
    store.put(m, null);
    store.put(m.withMetadata(m.metadata().withName("n")), null);
    store.put(m.withMetadata(m.metadata().withNamespace("other")), null);

    assertThat(store.countByNamespace()).containsExactly(Map.entry("ml", 2L), Map.entry("other", 1L));
    store.delete("other", "m", null);
    assertThat(store.countByNamespace()).containsExactly(Map.entry("ml", 2L));
  }
}
