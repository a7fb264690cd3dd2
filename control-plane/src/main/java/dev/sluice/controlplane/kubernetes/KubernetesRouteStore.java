package dev.sluice.controlplane.kubernetes;

import dev.sluice.controlplane.store.Revision;
import dev.sluice.controlplane.store.RouteStore;
import dev.sluice.controlplane.store.StaleResourceVersionException;
import dev.sluice.controlplane.store.StoreException;
import dev.sluice.controlplane.store.WriteOutcome;
import dev.sluice.model.FieldError;
import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelRouteStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ModelRoutes kept by the Kubernetes API server ({@code sluice.store.type=kubernetes}). Reads come
 * from informers (one per configured namespace, or one for all), so every replica serves xDS from
 * its own watch; REST writes go to the API server with the caller's resourceVersion as the
 * precondition, so the API server stays the one source of truth.
 *
 * <p>A ModelRoute the API server took but the policy model refuses (its schema cannot check every
 * rule) is kept aside with its problems and never reaches a proxy; the others are not disturbed.
 */
final class KubernetesRouteStore implements RouteStore, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KubernetesRouteStore.class);
  private static final Comparator<String[]> BY_NAMESPACE_AND_NAME =
      Comparator.<String[], String>comparing(k -> k[0]).thenComparing(k -> k[1]);

  /**
   * One watched object: the valid route, or the problems that keep it off the proxies; and the
   * status the API server holds for it (null when none was written yet).
   */
  record Entry(String namespace, String name, String uid, String resourceVersion, Long generation, ModelRoute route,
      List<FieldError> errors, ModelRouteStatus status) {

    /** Whether the proxies' view of the two differs: not when only the status or resourceVersion moved. */
    boolean servesLike(Entry other) {
      return Objects.equals(generation, other.generation) && Objects.equals(errors, other.errors)
          && Objects.equals(route == null ? null : route.spec(), other.route == null ? null : other.route.spec())
          && Objects.equals(route == null ? null : route.metadata().labels(),
              other.route == null ? null : other.route.metadata().labels());
    }
  }

  private final KubernetesClient client;
  private final RevisionHistory history;
  private final ConcurrentSkipListMap<String[], Entry> entries = new ConcurrentSkipListMap<>(BY_NAMESPACE_AND_NAME);
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>();

  private KubernetesRouteStore(KubernetesClient client, RevisionHistory history) {
    this.client = client;
    this.history = history;
  }

  /** Starts the informers and returns once each has listed every ModelRoute it watches. */
  static KubernetesRouteStore started(KubernetesClient client, KubernetesProperties properties, RevisionHistory history) {
    KubernetesRouteStore store = new KubernetesRouteStore(client, history);
    MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> routes =
        client.genericKubernetesResources(ModelRouteResources.CONTEXT);
    store.informers.addAll(Informers.perNamespace(properties.namespaces(), routes::inAnyNamespace, routes::inNamespace));
    Handler handler = store.new Handler();
    store.informers.forEach(informer -> informer.addEventHandler(handler));
    Informers.startAndSync(store.informers, properties.syncTimeout(), "list ModelRoutes from the Kubernetes API server at "
        + client.getMasterUrl() + " (is the CRD installed, and may this service account watch modelroutes.sluice.dev?)");
    log.info("watching ModelRoutes in {} on {}: {} routes, {} refused",
        properties.namespaces().isEmpty() ? "all namespaces" : properties.namespaces(), client.getMasterUrl(),
        store.list(null).size(), store.refused().size());
    return store;
  }

  @Override
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  @Override
  public Optional<ModelRoute> get(String namespace, String name) {
    return Optional.ofNullable(entries.get(new String[] {namespace, name})).map(Entry::route);
  }

  @Override
  public List<ModelRoute> list(String namespace) {
    return entries.values().stream()
        .map(Entry::route)
        .filter(Objects::nonNull)
        .filter(r -> namespace == null || r.metadata().namespace().equals(namespace))
        .toList();
  }

  RevisionHistory history() {
    return history;
  }

  /** Every watched object, valid or not, ordered by namespace and name. */
  List<Entry> entries() {
    return List.copyOf(entries.values());
  }

  /** The ModelRoutes the API server holds that the policy model refuses, by {@code namespace/name}. */
  java.util.Map<String, List<FieldError>> refused() {
    java.util.Map<String, List<FieldError>> refused = new java.util.TreeMap<>();
    entries.forEach((k, e) -> {
      if (e.route() == null) {
        refused.put(k[0] + "/" + k[1], e.errors());
      }
    });
    return refused;
  }

  @Override
  public WriteOutcome put(ModelRoute route, String expectedResourceVersion) {
    String namespace = route.metadata().namespace();
    String name = route.metadata().name();
    Resource<GenericKubernetesResource> resource = resource(namespace, name);
    try {
      GenericKubernetesResource current = resource.get();
      ModelRoute previous = current == null ? null : ModelRouteResources.decode(current).route();
      String actual = current == null ? "" : current.getMetadata().getResourceVersion();
      if (expectedResourceVersion != null && !expectedResourceVersion.isEmpty()
          && !expectedResourceVersion.equals(actual)) {
        throw new StaleResourceVersionException(route.key(), expectedResourceVersion,
            actual.isEmpty() ? "(none: it does not exist)" : actual);
      }
      if (previous != null && Objects.equals(previous.spec(), route.spec())
          && Objects.equals(previous.metadata().labels(), route.metadata().labels())) {
        return new WriteOutcome(previous, false, false, previous);
      }
      GenericKubernetesResource written = current == null
          ? client.genericKubernetesResources(ModelRouteResources.CONTEXT).inNamespace(namespace)
              .resource(ModelRouteResources.encode(route, null)).create()
          : client.genericKubernetesResources(ModelRouteResources.CONTEXT).inNamespace(namespace)
              .resource(ModelRouteResources.encode(route, current)).update();
      ModelRoute stored = ModelRouteResources.decode(written).route();
      remember(written);
      return new WriteOutcome(stored, true, current == null, previous);
    } catch (KubernetesClientException e) {
      throw refusal(route.key(), e);
    }
  }

  @Override
  public Optional<ModelRoute> delete(String namespace, String name, String expectedResourceVersion) {
    String key = namespace + "/" + name;
    try {
      GenericKubernetesResource current = resource(namespace, name).get();
      if (current == null) {
        return Optional.empty();
      }
      String actual = current.getMetadata().getResourceVersion();
      if (expectedResourceVersion != null && !expectedResourceVersion.isEmpty()
          && !expectedResourceVersion.equals(actual)) {
        throw new StaleResourceVersionException(key, expectedResourceVersion, actual);
      }
      resource(namespace, name).lockResourceVersion(actual).delete();
      history.forget(namespace, name);
      if (entries.remove(new String[] {namespace, name}) != null) {
        changed();
      }
      return Optional.ofNullable(ModelRouteResources.decode(current).route());
    } catch (KubernetesClientException e) {
      throw refusal(key, e);
    }
  }

  /**
   * The revisions the leader recorded (see {@link RevisionHistory}), and the current generation when
   * the leader has not recorded it yet (it does within a status round).
   */
  @Override
  public List<Revision> revisions(String namespace, String name) {
    try {
      List<Revision> revisions = new ArrayList<>(history.read(namespace, name));
      get(namespace, name).ifPresent(current -> {
        long generation = current.metadata().generation();
        if (revisions.stream().noneMatch(r -> r.generation() == generation)) {
          revisions.add(new Revision(generation, current.metadata().resourceVersion(), history.now(), current));
        }
      });
      return revisions;
    } catch (KubernetesClientException e) {
      throw refusal(namespace + "/" + name, e);
    }
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }

  private Resource<GenericKubernetesResource> resource(String namespace, String name) {
    return client.genericKubernetesResources(ModelRouteResources.CONTEXT).inNamespace(namespace).withName(name);
  }

  /**
   * Records an object seen from a watch or written here, unless a newer one is already held. The
   * listeners hear of it only when what proxies receive may change: a status write (ours) moves
   * the resourceVersion but not the spec, and must not start another round of publishing.
   */
  private synchronized void remember(GenericKubernetesResource resource) {
    String[] key = {resource.getMetadata().getNamespace(), resource.getMetadata().getName()};
    String resourceVersion = resource.getMetadata().getResourceVersion();
    Entry held = entries.get(key);
    if (held != null && (held.resourceVersion().equals(resourceVersion) || newer(held.resourceVersion(), resourceVersion))) {
      return;
    }
    ModelRouteResources.Decoded decoded = ModelRouteResources.decode(resource);
    Entry entry = new Entry(key[0], key[1], resource.getMetadata().getUid(), resourceVersion,
        resource.getMetadata().getGeneration(), decoded.route(),
        decoded.errors(), ModelRouteResources.status(resource));
    entries.put(key, entry);
    if (held != null && held.servesLike(entry)) {
      return;
    }
    if (!decoded.ok()) {
      log.warn("ModelRoute {} (generation {}) is not served: {}", ModelRouteResources.key(resource),
          resource.getMetadata().getGeneration(), decoded.errors());
    }
    changed();
  }

  /**
   * Whether {@code held} is a later resourceVersion than {@code seen}. Kubernetes calls them opaque,
   * but an etcd-backed API server issues increasing integers; anything else is taken as newer.
   */
  private static boolean newer(String held, String seen) {
    try {
      return Long.parseLong(held) > Long.parseLong(seen);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private void changed() {
    listeners.forEach(Runnable::run);
  }

  private static RuntimeException refusal(String key, KubernetesClientException e) {
    if (e.getCode() == 409) {
      return new StaleResourceVersionException(key, "the one read", "a newer one (written meanwhile)");
    }
    List<FieldError> errors = new ArrayList<>();
    if (e.getStatus() != null && e.getStatus().getDetails() != null && e.getStatus().getDetails().getCauses() != null) {
      for (StatusCause cause : e.getStatus().getDetails().getCauses()) {
        errors.add(new FieldError(cause.getField() == null ? "(document)" : cause.getField(), cause.getMessage()));
      }
    }
    int status = e.getCode() == 422 ? 422 : e.getCode() == 403 ? 403 : 503;
    log.warn("Kubernetes API server refused a write of ModelRoute {}: HTTP {} {}", key, e.getCode(),
        errors.isEmpty() ? e.getMessage() : errors);
    return new StoreException(status, "the Kubernetes API server refused ModelRoute " + key
        + (e.getCode() > 0 ? " (HTTP " + e.getCode() + ")" : ": " + e.getMessage()), errors);
  }

  /** Keeps the entries in step with the watch; runs on the informer's thread. */
  private final class Handler implements ResourceEventHandler<GenericKubernetesResource> {
    @Override
    public void onAdd(GenericKubernetesResource resource) {
      remember(resource);
    }

    @Override
    public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource resource) {
      remember(resource);
    }

    @Override
    public void onDelete(GenericKubernetesResource resource, boolean deletedFinalStateUnknown) {
      if (entries.remove(new String[] {resource.getMetadata().getNamespace(), resource.getMetadata().getName()}) != null) {
        changed();
      }
    }
  }
}
