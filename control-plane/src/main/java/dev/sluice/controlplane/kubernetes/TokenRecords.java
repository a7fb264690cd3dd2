package dev.sluice.controlplane.kubernetes;

import dev.sluice.controlplane.tokens.TokenClaims;
import dev.sluice.controlplane.tokens.TokenStore;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Bootstrap-token records shared by every replica: the ConfigMap {@code sluice-tokens} in the control
 * plane's namespace, one data key per token id (claims and revocation time; never the token). Reads
 * come from an informer; writes read, change and update with the resourceVersion as precondition,
 * again on conflict. A revocation written by another replica reaches {@link #onRevokedElsewhere}
 * listeners, so every replica closes that token's streams. Records of tokens expired more than a day
 * are dropped on each write, which keeps the ConfigMap (at most 1 MiB) to a few thousand live tokens.
 */
final class TokenRecords implements TokenStore, AutoCloseable {
  static final String NAME = "sluice-tokens";
  private static final Duration KEEP_EXPIRED = Duration.ofDays(1);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final KubernetesClient client;
  private final String namespace;
  private final Clock clock;
  private final SharedIndexInformer<ConfigMap> informer;
  private final List<Consumer<String>> revokedElsewhere = new CopyOnWriteArrayList<>();

  TokenRecords(KubernetesClient client, String namespace, Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.clock = clock;
    this.informer = client.configMaps().inNamespace(namespace).withName(NAME).runnableInformer(0);
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(ConfigMap map) {}

      @Override
      public void onUpdate(ConfigMap before, ConfigMap after) {
        Map<String, Row> old = rows(before);
        rows(after).forEach((id, row) -> {
          Row was = old.get(id);
          if (row.revokedAt() != null && (was == null || was.revokedAt() == null)) {
            revokedElsewhere.forEach(l -> l.accept(id));
          }
        });
      }

      @Override
      public void onDelete(ConfigMap map, boolean deletedFinalStateUnknown) {}
    });
    Informers.startAndSync(List.of(informer), Duration.ofSeconds(60), "watch ConfigMap " + namespace + "/" + NAME);
  }

  @Override
  public void insert(TokenClaims claims) {
    change(rows -> {
      rows.put(claims.id(), new Row(claims, null));
      return rows;
    });
  }

  /** From the watch; a token minted a moment ago that the watch has not brought yet is read directly. */
  @Override
  public Optional<Row> find(String id) {
    return Optional.ofNullable(rows(cached()).get(id)).or(() -> Optional.ofNullable(rows(fresh()).get(id)));
  }

  @Override
  public List<Row> list(String namespaceOrNull) {
    return rows(fresh()).values().stream()
        .filter(r -> namespaceOrNull == null || r.claims().namespace().equals(namespaceOrNull))
        .sorted(Comparator.comparing((Row r) -> r.claims().issuedAt()).reversed().thenComparing(r -> r.claims().id()))
        .toList();
  }

  @Override
  public List<String> revokedUnexpired(Instant now) {
    return rows(cached()).values().stream()
        .filter(r -> r.revokedAt() != null && r.claims().expiresAt().isAfter(now))
        .map(r -> r.claims().id())
        .toList();
  }

  @Override
  public boolean revoke(String id, Instant at) {
    boolean[] known = {false};
    change(rows -> {
      Row row = rows.get(id);
      known[0] = row != null;
      if (row != null && row.revokedAt() == null) {
        rows.put(id, new Row(row.claims(), at));
      }
      return rows;
    });
    return known[0];
  }

  @Override
  public void onRevokedElsewhere(Consumer<String> listener) {
    revokedElsewhere.add(listener);
  }

  @Override
  public void close() {
    informer.close();
  }

  private ConfigMap fresh() {
    return client.configMaps().inNamespace(namespace).withName(NAME).get();
  }

  private ConfigMap cached() {
    return informer.getStore().getByKey(namespace + "/" + NAME);
  }

  /** Reads the ConfigMap, applies {@code edit} to its rows, and writes it back, again on conflict. */
  private void change(UnaryOperator<Map<String, Row>> edit) {
    ConfigMapData.change(client, namespace, NAME, "bootstrap-token records", data -> {
      Map<String, Row> read = new HashMap<>();
      data.forEach((id, json) -> read.put(id, decode(id, json)));
      Map<String, Row> rows = edit.apply(read);
      Instant cutoff = clock.instant().minus(KEEP_EXPIRED);
      rows.values().removeIf(r -> r.claims().expiresAt().isBefore(cutoff));
      Map<String, String> out = new HashMap<>();
      rows.forEach((id, row) -> out.put(id, encode(row)));
      return out;
    });
  }

  private static Map<String, Row> rows(ConfigMap map) {
    Map<String, Row> rows = new HashMap<>();
    if (map != null && map.getData() != null) {
      map.getData().forEach((id, json) -> rows.put(id, decode(id, json)));
    }
    return rows;
  }

  private static String encode(Row row) {
    TokenClaims c = row.claims();
    ObjectNode node = JSON.createObjectNode()
        .put("namespace", c.namespace()).put("serviceAccount", c.serviceAccount()).put("nodeId", c.nodeId())
        .put("role", c.role()).put("issuedAt", c.issuedAt().toString()).put("expiresAt", c.expiresAt().toString());
    if (row.revokedAt() != null) {
      node.put("revokedAt", row.revokedAt().toString());
    }
    return JSON.writeValueAsString(node);
  }

  private static Row decode(String id, String json) {
    JsonNode n = JSON.readTree(json);
    TokenClaims claims = new TokenClaims(id, n.get("namespace").asString(), n.get("serviceAccount").asString(),
        n.get("nodeId").asString(), n.get("role").asString(), Instant.parse(n.get("issuedAt").asString()),
        Instant.parse(n.get("expiresAt").asString()));
    return new Row(claims, n.hasNonNull("revokedAt") ? Instant.parse(n.get("revokedAt").asString()) : null);
  }
}
