package dev.sluice.controlplane.kubernetes;

import dev.sluice.controlplane.xds.OtherReplicas;
import dev.sluice.controlplane.xds.RouteProgramming;
import dev.sluice.model.ModelRoute;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Each replica's view of the proxies connected to it, shared through the API server: every replica
 * writes, each round, a ConfigMap {@code sluice-proxies-<replica>} in the control plane's namespace
 * with its tally per route and generation (only when it changed, or every {@link #HEARTBEAT} so
 * others can tell it is alive); all read the others' through an informer. The leader adds them up,
 * so {@code Programmed} covers the proxies of every replica. A view older than {@link #STALE} (its
 * replica is gone) counts for nothing.
 */
final class ReplicaViews implements OtherReplicas, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReplicaViews.class);
  static final String LABEL = "sluice.dev/proxy-view";
  static final Duration HEARTBEAT = Duration.ofSeconds(5);
  static final Duration STALE = Duration.ofSeconds(20);
  /** A view this old belongs to a replica that is gone without deleting it (killed): the leader deletes it. */
  static final Duration ABANDONED = Duration.ofMinutes(10);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final Clock clock;
  private final SharedIndexInformer<ConfigMap> informer;
  private final Map<String, View> parsed = new ConcurrentHashMap<>();
  private String lastWritten;
  private Instant lastWrite = Instant.EPOCH;

  ReplicaViews(KubernetesClient client, String namespace, String replica, Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.name = "sluice-proxies-" + replica.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    this.clock = clock;
    this.informer = client.configMaps().inNamespace(namespace).withLabel(LABEL, "true").inform();
  }

  /** Writes this replica's tallies of the given routes, when they changed or the heartbeat is due. */
  void publish(Iterable<ModelRoute> routes, RouteProgramming programming) {
    ObjectNode view = JSON.createObjectNode();
    for (ModelRoute route : routes) {
      RouteProgramming.Tally t = programming.local(route);
      if (t.acked() + t.nacked() + t.pending() == 0) {
        continue;
      }
      ObjectNode entry = view.putObject(route.key());
      entry.put("generation", route.metadata().generation());
      entry.put("acked", t.acked()).put("nacked", t.nacked()).put("pending", t.pending());
      if (t.firstRejection() != null) {
        entry.put("rejection", t.firstRejection());
      }
    }
    String text = JSON.writeValueAsString(view);
    Instant now = clock.instant();
    if (text.equals(lastWritten) && Duration.between(lastWrite, now).compareTo(HEARTBEAT) < 0) {
      return;
    }
    ConfigMap map = new ConfigMapBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace)
        .addToLabels(LABEL, "true").addToLabels("app.kubernetes.io/managed-by", "sluice").endMetadata()
        .withData(Map.of("view", text, "at", now.toString()))
        .build();
    try {
      client.configMaps().inNamespace(namespace).resource(map).createOr(existing -> existing.update());
      lastWritten = text;
      lastWrite = now;
    } catch (KubernetesClientException e) {
      log.warn("cannot write this replica's proxy view {}/{}: HTTP {} {}", namespace, name, e.getCode(), e.getMessage());
    }
  }

  @Override
  public RouteProgramming.Tally tally(String key, long generation) {
    RouteProgramming.Tally sum = RouteProgramming.Tally.NONE;
    Instant oldest = clock.instant().minus(STALE);
    for (ConfigMap map : informer.getStore().list()) {
      if (map.getMetadata().getName().equals(name)) {
        continue;
      }
      View view = view(map);
      if (view.at().isBefore(oldest)) {
        continue;
      }
      JsonNode entry = view.routes().get(key);
      if (entry != null && entry.path("generation").asLong() == generation) {
        sum = sum.plus(new RouteProgramming.Tally(entry.path("acked").asInt(), entry.path("nacked").asInt(),
            entry.path("pending").asInt(), entry.hasNonNull("rejection") ? entry.get("rejection").asString() : null));
      }
    }
    return sum;
  }

  /** Another replica's view as read; an unreadable one is as old as can be and lists nothing. */
  private record View(String resourceVersion, Instant at, JsonNode routes) {}

  /**
   * The view of a ConfigMap, parsed once per resourceVersion: the leader asks for every route each
   * round, and a view changes far less often than that.
   */
  private View view(ConfigMap map) {
    String resourceVersion = map.getMetadata().getResourceVersion();
    View cached = parsed.get(map.getMetadata().getName());
    if (cached != null && cached.resourceVersion().equals(resourceVersion)) {
      return cached;
    }
    View view;
    try {
      Map<String, String> data = map.getData() == null ? Map.of() : map.getData();
      view = new View(resourceVersion, Instant.parse(data.getOrDefault("at", "1970-01-01T00:00:00Z")),
          JSON.readTree(data.getOrDefault("view", "{}")));
    } catch (RuntimeException e) {
      log.debug("unreadable proxy view {}", map.getMetadata().getName(), e);
      view = new View(resourceVersion, Instant.EPOCH, JSON.createObjectNode());
    }
    parsed.put(map.getMetadata().getName(), view);
    return view;
  }

  /** On the leader: deletes the views of replicas gone for {@link #ABANDONED} or more. */
  void deleteAbandoned() {
    Instant oldest = clock.instant().minus(ABANDONED);
    for (ConfigMap map : informer.getStore().list()) {
      String other = map.getMetadata().getName();
      if (other.equals(name) || map.getData() == null) {
        continue;
      }
      Instant at = view(map).at();
      if (at.isBefore(oldest)) {
        try {
          client.configMaps().inNamespace(namespace).withName(other).delete();
          parsed.remove(other);
          log.info("deleted proxy view {}/{} of a replica gone since {}", namespace, other, at);
        } catch (KubernetesClientException e) {
          log.warn("cannot delete the abandoned proxy view {}/{}: HTTP {}", namespace, other, e.getCode());
        }
      }
    }
  }

  @Override
  public void close() {
    informer.close();
    try {
      client.configMaps().inNamespace(namespace).withName(name).delete();
    } catch (KubernetesClientException e) {
      log.debug("cannot delete this replica's proxy view {}/{}", namespace, name, e);
    }
  }
}
