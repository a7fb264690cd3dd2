package dev.sluice.controlplane.kubernetes;

import dev.sluice.controlplane.xds.EndpointDiscovery;
import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelVersion;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servers of versions from Kubernetes, read from EndpointSlices (and Pods, for versions that
 * select by label) through informers in the watched namespaces.
 *
 * <p>A version's servers are the endpoints of its Service ({@code versions[].service}, else
 * {@code spec.service}) whose pod carries every label of its {@code selector}. Ready endpoints
 * serve; when a version has none, its serving endpoints that are terminating do, as kube-proxy does;
 * unready ones never do. The endpoint's zone becomes its locality. Each change tells the publisher,
 * which recomputes endpoint resources (EDS) alone.
 */
final class EndpointSlices implements EndpointDiscovery, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EndpointSlices.class);
  static final String SERVICE_LABEL = "kubernetes.io/service-name";
  private static final String BY_SERVICE = "sluice/by-service";

  private final List<SharedIndexInformer<EndpointSlice>> slices = new ArrayList<>();
  private final List<SharedIndexInformer<Pod>> pods = new ArrayList<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  private EndpointSlices() {}

  /** Starts the informers and returns once each has listed what it watches. */
  static EndpointSlices started(KubernetesClient client, KubernetesProperties properties) {
    EndpointSlices s = new EndpointSlices();
    Map<String, Function<EndpointSlice, List<String>>> index = Map.of(BY_SERVICE, slice -> {
      String service = slice.getMetadata().getLabels() == null ? null : slice.getMetadata().getLabels().get(SERVICE_LABEL);
      return service == null ? List.of() : List.of(slice.getMetadata().getNamespace() + "/" + service);
    });
    s.slices.addAll(Informers.perNamespace(properties.namespaces(),
        () -> client.discovery().v1().endpointSlices().inAnyNamespace(),
        ns -> client.discovery().v1().endpointSlices().inNamespace(ns)));
    s.pods.addAll(Informers.perNamespace(properties.namespaces(), () -> client.pods().inAnyNamespace(),
        ns -> client.pods().inNamespace(ns)));
    for (SharedIndexInformer<EndpointSlice> informer : s.slices) {
      informer.addIndexers(index);
      informer.addEventHandler(s.handler());
    }
    s.pods.forEach(informer -> informer.addEventHandler(s.podHandler()));
    List<SharedIndexInformer<?>> all = new ArrayList<>(s.slices);
    all.addAll(s.pods);
    Informers.startAndSync(all, properties.syncTimeout(),
        "list EndpointSlices and Pods from the Kubernetes API server (may this service account watch them?)");
    log.info("watching EndpointSlices and Pods in {}",
        properties.namespaces().isEmpty() ? "all namespaces" : properties.namespaces());
    return s;
  }

  @Override
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  @Override
  public List<Member> members(ModelRoute route, ModelVersion version) {
    String namespace = route.metadata().namespace();
    String service = version.service() != null ? version.service() : route.spec().service();
    if (service == null) {
      return List.of();
    }
    Set<Member> ready = new LinkedHashSet<>();
    Set<Member> terminating = new LinkedHashSet<>();
    for (SharedIndexInformer<EndpointSlice> informer : slices) {
      for (EndpointSlice slice : informer.getIndexer().byIndex(BY_SERVICE, namespace + "/" + service)) {
        if ("FQDN".equals(slice.getAddressType())) {
          continue;
        }
        Integer port = port(slice.getPorts(), route.spec().port());
        if (port == null) {
          continue;
        }
        for (Endpoint endpoint : slice.getEndpoints()) {
          if (endpoint.getAddresses() == null || endpoint.getAddresses().isEmpty()
              || !selected(namespace, endpoint.getTargetRef(), version.selector())) {
            continue;
          }
          Member member = new Member(endpoint.getAddresses().get(0), port, endpoint.getZone());
          var conditions = endpoint.getConditions();
          // The API: a missing ready condition means ready; serving defaults to ready.
          boolean isReady = conditions == null || conditions.getReady() == null || conditions.getReady();
          boolean isServing = conditions != null && conditions.getServing() != null ? conditions.getServing() : isReady;
          boolean isTerminating = conditions != null && Boolean.TRUE.equals(conditions.getTerminating());
          if (isReady && !isTerminating) {
            ready.add(member);
          } else if (isServing && isTerminating) {
            terminating.add(member);
          }
        }
      }
    }
    return List.copyOf(ready.isEmpty() ? terminating : ready);
  }

  /**
   * The slice's port for the route: its only one; of several, the one whose number is the route's
   * port, else the first by name. Null when the slice has none.
   */
  private static Integer port(List<EndpointPort> ports, Integer routePort) {
    if (ports == null || ports.isEmpty()) {
      return null;
    }
    if (ports.size() == 1) {
      return ports.get(0).getPort();
    }
    return ports.stream().filter(p -> p.getPort() != null && p.getPort().equals(routePort)).findFirst()
        .or(() -> ports.stream().filter(p -> p.getPort() != null)
            .min(Comparator.comparing(p -> p.getName() == null ? "" : p.getName())))
        .map(EndpointPort::getPort)
        .orElse(null);
  }

  /** Whether the endpoint's pod carries every label of the selector (any endpoint, without one). */
  private boolean selected(String namespace, ObjectReference target, Map<String, String> selector) {
    if (selector == null) {
      return true;
    }
    if (target == null || !"Pod".equals(target.getKind())) {
      return false;
    }
    String key = (target.getNamespace() == null ? namespace : target.getNamespace()) + "/" + target.getName();
    for (SharedIndexInformer<Pod> informer : pods) {
      Pod pod = informer.getStore().getByKey(key);
      if (pod != null) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        return labels != null && labels.entrySet().containsAll(selector.entrySet());
      }
    }
    return false;
  }

  private <T> ResourceEventHandler<T> handler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        changed();
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        changed();
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        changed();
      }
    };
  }

  /** Of a pod only its labels matter here (its address and readiness come from the slices). */
  private ResourceEventHandler<Pod> podHandler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        changed();
      }

      @Override
      public void onUpdate(Pod oldPod, Pod newPod) {
        if (!java.util.Objects.equals(oldPod.getMetadata().getLabels(), newPod.getMetadata().getLabels())) {
          changed();
        }
      }

      @Override
      public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
        changed();
      }
    };
  }

  private void changed() {
    listeners.forEach(Runnable::run);
  }

  @Override
  public void close() {
    slices.forEach(SharedIndexInformer::close);
    pods.forEach(SharedIndexInformer::close);
  }
}
