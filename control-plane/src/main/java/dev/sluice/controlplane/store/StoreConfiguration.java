package dev.sluice.controlplane.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * SQLite in WAL mode with {@code synchronous=FULL}: a write that was answered has been fsynced, so
 * it survives {@code kill -9} and power loss. Flyway creates the schema on start.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StoreProperties.class)
class StoreConfiguration {

  @Bean
  DataSource dataSource(StoreProperties properties) {
    try {
      Files.createDirectories(properties.path());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the store folder " + properties.path().toAbsolutePath(), e);
    }
    SQLiteConfig sqlite = new SQLiteConfig();
    sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
    sqlite.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    sqlite.setBusyTimeout(5_000);
    sqlite.enforceForeignKeys(true);
    SQLiteDataSource sqliteSource = new SQLiteDataSource(sqlite);
    sqliteSource.setUrl("jdbc:sqlite:" + properties.databaseFile().toAbsolutePath());

    HikariConfig pool = new HikariConfig();
    pool.setDataSource(sqliteSource);
    pool.setPoolName("sluice-store");
    pool.setMaximumPoolSize(4);
    pool.setMinimumIdle(1);
    return new HikariDataSource(pool);
  }
}
