package dev.sluice.controlplane.tokens;

import dev.sluice.controlplane.store.StoreProperties;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Bootstrap tokens: signing key in the store folder (or with a {@link SigningKeyKeeper}), records in
 * the SQLite store (or a shared {@link TokenStore} bean).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TokenProperties.class)
class TokensConfiguration {

  @Bean
  @DependsOnDatabaseInitialization // reads the revoked tokens at once
  BootstrapTokens bootstrapTokens(StoreProperties store, DataSource dataSource, Clock clock, TokenProperties properties,
      ObjectProvider<SigningKeyKeeper> keeper, ObjectProvider<TokenStore> shared) {
    SigningKeyKeeper elsewhere = keeper.getIfAvailable();
    byte[] key = elsewhere != null ? elsewhere.loadOrCreate()
        : SigningKeyFile.loadOrCreate(store.path().resolve("tokens").resolve("signing.key"));
    TokenStore records = shared.getIfAvailable(() -> new SqliteTokenStore(dataSource));
    return new BootstrapTokens(new TokenSigner(key), records, clock, properties);
  }
}
