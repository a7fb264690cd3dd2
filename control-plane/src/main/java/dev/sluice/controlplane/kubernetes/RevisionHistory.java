package dev.sluice.controlplane.kubernetes;

import dev.sluice.controlplane.store.Revision;
import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelRouteCodec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The revisions of ModelRoutes in Kubernetes mode: one ConfigMap per route,
 * {@code sluice-revisions-<route>} in the route's namespace, one data key per generation (its
 * number) holding the route as it was then, the newest {@link #KEEP} kept. The ConfigMap is owned by
 * its ModelRoute, so the cluster's garbage collector removes it with the route.
 *
 * <p>Only the leader records (each round, for every valid route whose generation is new), so two
 * replicas never race on one ConfigMap; writes carry the resourceVersion read as precondition.
 */
final class RevisionHistory {
  private static final Logger log = LoggerFactory.getLogger(RevisionHistory.class);
  static final int KEEP = 10;
  static final String PREFIX = "sluice-revisions-";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final KubernetesClient client;
  private final Clock clock;
  /** Per {@code namespace/name}, the newest generation known to be recorded. */
  private final Map<String, Long> recorded = new ConcurrentHashMap<>();

  RevisionHistory(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  Instant now() {
    return clock.instant();
  }

  /** The recorded revisions of a route, oldest first. */
  List<Revision> read(String namespace, String name) {
    ConfigMap map = client.configMaps().inNamespace(namespace).withName(PREFIX + name).get();
    List<Revision> revisions = new ArrayList<>();
    if (map == null || map.getData() == null) {
      return revisions;
    }
    for (String value : map.getData().values()) {
      JsonNode node = JSON.readTree(value);
      ModelRouteCodec.Parsed parsed = ModelRouteCodec.parse(node.get("route"));
      if (parsed.ok()) {
        revisions.add(new Revision(node.get("generation").asLong(), node.get("resourceVersion").asString(),
            Instant.parse(node.get("createdAt").asString()), parsed.route()));
      }
    }
    revisions.sort(Comparator.comparingLong(Revision::generation));
    return revisions;
  }

  /** Records the route's generation unless it is already; returns whether it wrote. */
  boolean record(ModelRoute route, String uid) {
    String key = route.key();
    long generation = route.metadata().generation();
    Long known = recorded.get(key);
    if (known != null && known >= generation) {
      return false;
    }
    String namespace = route.metadata().namespace();
    String mapName = PREFIX + route.metadata().name();
    try {
      ConfigMap current = client.configMaps().inNamespace(namespace).withName(mapName).get();
      TreeMap<Long, String> data = new TreeMap<>();
      if (current != null && current.getData() != null) {
        current.getData().forEach((k, v) -> data.put(Long.parseLong(k), v));
      }
      if (data.containsKey(generation)) {
        recorded.merge(key, generation, Math::max);
        return false;
      }
      ObjectNode entry = JSON.createObjectNode();
      entry.put("generation", generation);
      entry.put("resourceVersion", route.metadata().resourceVersion());
      entry.put("createdAt", clock.instant().toString());
      entry.set("route", ModelRouteCodec.toTree(route.withStatus(null)));
      data.put(generation, JSON.writeValueAsString(entry));
      while (data.size() > KEEP) {
        data.pollFirstEntry();
      }
      Map<String, String> strings = new TreeMap<>();
      data.forEach((k, v) -> strings.put(Long.toString(k), v));
      if (current == null) {
        client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder()
            .withNewMetadata().withName(mapName).withNamespace(namespace)
            .addToLabels("app.kubernetes.io/managed-by", "sluice")
            .addToLabels("sluice.dev/modelroute", route.metadata().name())
            .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(ModelRoute.API_VERSION)
                .withKind(ModelRoute.KIND).withName(route.metadata().name()).withUid(uid).build())
            .endMetadata()
            .withData(strings)
            .build()).create();
      } else {
        current.setData(strings);
        client.configMaps().inNamespace(namespace).resource(current).update();
      }
      recorded.merge(key, generation, Math::max);
      log.info("recorded revision {} of ModelRoute {} in ConfigMap {}/{}", generation, key, namespace, mapName);
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        log.warn("cannot record revision {} of ModelRoute {}: HTTP {} {}", generation, key, e.getCode(), e.getMessage());
      }
      return false; // the next round tries again
    }
  }

  /** Removes a route's revisions (the REST API's delete; kubectl delete leaves it to the garbage collector). */
  void forget(String namespace, String name) {
    recorded.remove(namespace + "/" + name);
    try {
      client.configMaps().inNamespace(namespace).withName(PREFIX + name).delete();
    } catch (KubernetesClientException e) {
      log.warn("cannot delete ConfigMap {}/{}{}: HTTP {}", namespace, PREFIX, name, e.getCode());
    }
  }
}
