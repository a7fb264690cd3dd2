package dev.sluice.controlplane.kubernetes;

import dev.sluice.controlplane.rollout.RolloutState;
import dev.sluice.controlplane.rollout.RolloutStates;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Rollout progress shared by every replica: the ConfigMap {@code sluice-rollouts} in the control
 * plane's namespace, one data key per route ({@code <namespace>.<name>}). The leader decides on a
 * fresh read and writes with the resourceVersion as precondition; every replica gives its proxies
 * the weights its watch brings, so all proxies get the same split, and a new leader takes over the
 * same step. Each state keeps its last {@link #HISTORY} events, so the ConfigMap (at most 1 MiB)
 * holds about a hundred rollouts at once.
 */
final class RolloutRecords implements RolloutStates, AutoCloseable {
  static final String NAME = "sluice-rollouts";
  static final int HISTORY = 50;
  private static final JsonMapper JSON = JsonMapper.builder()
      .disable(tools.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RolloutRecords.class);

  private final KubernetesClient client;
  private final String namespace;
  private final SharedIndexInformer<ConfigMap> informer;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  RolloutRecords(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
    this.informer = client.configMaps().inNamespace(namespace).withName(NAME).runnableInformer(0);
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(ConfigMap map) {
        changed(null, map);
      }

      @Override
      public void onUpdate(ConfigMap before, ConfigMap after) {
        changed(before, after);
      }

      @Override
      public void onDelete(ConfigMap map, boolean deletedFinalStateUnknown) {
        changed(map, null);
      }
    });
    Informers.startAndSync(List.of(informer), Duration.ofSeconds(60), "watch ConfigMap " + namespace + "/" + NAME);
  }

  @Override
  public void onWeightsChange(Runnable listener) {
    listeners.add(listener);
  }

  @Override
  public Map<String, RolloutState> all() {
    return states(informer.getStore().getByKey(namespace + "/" + NAME));
  }

  @Override
  public Map<String, RolloutState> load() {
    return states(client.configMaps().inNamespace(namespace).withName(NAME).get());
  }

  @Override
  public boolean replace(String key, RolloutState expected, RolloutState state) {
    boolean[] replaced = {false};
    change(data -> {
      RolloutState stored = decode(key, data.get(dataKey(key)));
      replaced[0] = expected == null ? stored == null : stored != null && same(stored, expected);
      if (replaced[0]) {
        data.put(dataKey(key), JSON.writeValueAsString(trimmed(state)));
      }
      return data;
    });
    return replaced[0];
  }

  /** Equal as stored: the ConfigMap keeps only the last {@link #HISTORY} events. */
  private static boolean same(RolloutState stored, RolloutState expected) {
    return stored.equals(trimmed(expected));
  }

  private static RolloutState trimmed(RolloutState state) {
    return state.history().size() <= HISTORY ? state : new RolloutState(state.rolloutHash(),
        state.generation(), state.phase(), state.step(), state.canaryWeight(), state.stepPublishedAt(),
        state.stepStartedAt(), state.failedChecks(), state.passedChecks(), state.reason(), state.message(),
        state.history().subList(state.history().size() - HISTORY, state.history().size()));
  }

  @Override
  public void remove(String key) {
    change(data -> {
      data.remove(dataKey(key));
      return data;
    });
  }

  @Override
  public void close() {
    informer.close();
  }

  private void changed(ConfigMap before, ConfigMap after) {
    Map<String, RolloutState> was = states(before);
    Map<String, RolloutState> now = states(after);
    boolean weightsMoved = !was.keySet().equals(now.keySet()) || now.entrySet().stream().anyMatch(e ->
        was.get(e.getKey()).canaryWeight() != e.getValue().canaryWeight()
            || !Objects.equals(was.get(e.getKey()).rolloutHash(), e.getValue().rolloutHash()));
    if (weightsMoved) {
      listeners.forEach(Runnable::run);
    }
  }

  private void change(UnaryOperator<Map<String, String>> edit) {
    ConfigMapData.change(client, namespace, NAME, "rollout progress", edit);
  }

  private static Map<String, RolloutState> states(ConfigMap map) {
    Map<String, RolloutState> out = new TreeMap<>();
    if (map != null && map.getData() != null) {
      map.getData().forEach((k, json) -> {
        if (k.indexOf('.') > 0) {
          RolloutState state = decode(routeKey(k), json);
          if (state != null) {
            out.put(routeKey(k), state);
          }
        }
      });
    }
    return out;
  }

  /** One entry; null, with a warning, when it cannot be read: one bad entry must not stop every route's publishing. */
  private static RolloutState decode(String key, String json) {
    if (json == null) {
      return null;
    }
    try {
      return JSON.readValue(json, RolloutState.class);
    } catch (RuntimeException e) {
      log.warn("rollout of ModelRoute {}: its stored progress in ConfigMap {} cannot be read ({}); it starts again",
          key, NAME, e.getMessage());
      return null;
    }
  }

  /** {@code ml/fraud-scorer} as a ConfigMap data key: {@code ml.fraud-scorer} (DNS labels hold no dots). */
  static String dataKey(String routeKey) {
    return routeKey.replace('/', '.');
  }

  static String routeKey(String dataKey) {
    int dot = dataKey.indexOf('.');
    return dataKey.substring(0, dot) + "/" + dataKey.substring(dot + 1);
  }
}
