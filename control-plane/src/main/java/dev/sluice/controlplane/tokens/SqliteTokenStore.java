package dev.sluice.controlplane.tokens;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Token records in the embedded SQLite store: the default, one control plane. */
final class SqliteTokenStore implements TokenStore {
  private final JdbcClient jdbc;

  SqliteTokenStore(DataSource dataSource) {
    this.jdbc = JdbcClient.create(dataSource);
  }

  @Override
  public void insert(TokenClaims c) {
    jdbc.sql("""
        INSERT INTO bootstrap_tokens (id, namespace, service_account, node_id, role, issued_at, expires_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)""")
        .params(c.id(), c.namespace(), c.serviceAccount(), c.nodeId(), c.role(), c.issuedAt().toString(),
            c.expiresAt().toString())
        .update();
  }

  @Override
  public Optional<Row> find(String id) {
    return jdbc.sql("SELECT * FROM bootstrap_tokens WHERE id = ?").param(id).query(SqliteTokenStore::row).optional();
  }

  @Override
  public List<Row> list(String namespace) {
    var sql = namespace == null
        ? jdbc.sql("SELECT * FROM bootstrap_tokens ORDER BY issued_at DESC, id")
        : jdbc.sql("SELECT * FROM bootstrap_tokens WHERE namespace = ? ORDER BY issued_at DESC, id").param(namespace);
    return sql.query(SqliteTokenStore::row).list();
  }

  @Override
  public List<String> revokedUnexpired(Instant now) {
    return jdbc.sql("SELECT id, expires_at FROM bootstrap_tokens WHERE revoked_at IS NOT NULL")
        .query((rs, n) -> Instant.parse(rs.getString("expires_at")).isAfter(now) ? rs.getString("id") : null)
        .list().stream().filter(id -> id != null).toList();
  }

  @Override
  public boolean revoke(String id, Instant at) {
    jdbc.sql("UPDATE bootstrap_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
        .params(at.toString(), id).update();
    return find(id).isPresent();
  }

  private static Row row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
    String revoked = rs.getString("revoked_at");
    return new Row(new TokenClaims(rs.getString("id"), rs.getString("namespace"), rs.getString("service_account"),
        rs.getString("node_id"), rs.getString("role"), Instant.parse(rs.getString("issued_at")),
        Instant.parse(rs.getString("expires_at"))), revoked == null ? null : Instant.parse(revoked));
  }
}
