package dev.sluice.benchmarks.load;

import dev.sluice.translate.Names;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The slice churn's Kubernetes objects and the changes made to them. R ModelRoutes in namespace
 * {@code ml}, each a 90/10 split of two versions, each version the Service of its own
 * ({@code versions[].service}) whose one EndpointSlice holds three endpoints on 10.x addresses
 * (never dialled). Changes go to the slices in turn, one at a time; each slice's changes go round
 * its endpoints, two per endpoint: it goes unready (its pod fails a readiness probe), then it is
 * ready again at a new address (a new pod).
 *
 * <p>Every state a slice passes through differs from its others: at most one of its endpoints is
 * unready at a time, so each state holds an address, and an address is never used twice. The set
 * of ready addresses a proxy receives for a cluster therefore names one state, and so the change
 * it reflects ({@link #key}).
 *
 * <p>Not thread-safe: the driver's one writer thread owns it.
 */
final class SliceWorkload {
  static final String NAMESPACE = Workload.NAMESPACE;
  static final int PORT = 8080;
  static final int ENDPOINTS = 3;
  private static final List<String> VERSIONS = List.of("v1", "v2");
  private static final String SERVICE_LABEL = "kubernetes.io/service-name";

  /** One change: the slice it went to, its cluster, and the state it produced. */
  record Change(int slice, String cluster, String key, boolean ready) {}

  private final int routes;
  private final List<Slice> slices = new ArrayList<>();
  private int addresses;
  private int next;

  SliceWorkload(int routes) {
    this.routes = routes;
    for (int i = 0; i < routes; i++) {
      String route = Workload.name(i);
      for (String version : VERSIONS) {
        String[] ips = new String[ENDPOINTS];
        for (int e = 0; e < ENDPOINTS; e++) {
          ips[e] = freshAddress();
        }
        slices.add(new Slice(route + "-" + version, Names.cluster(Workload.parse(route(i)), version), ips));
      }
    }
  }

  int routes() {
    return routes;
  }

  int sliceCount() {
    return slices.size();
  }

  /** The ModelRoute custom resource of route {@code i}, as JSON. */
  static String route(int i) {
    return """
        {"apiVersion": "sluice.dev/v1alpha1", "kind": "ModelRoute",
         "metadata": {"namespace": "%2$s", "name": "model-%1$d"},
         "spec": {"hosts": ["model-%1$d.ml"], "port": %3$d, "protocol": "GRPC",
          "versions": [{"name": "v1", "weight": 90, "service": "model-%1$d-v1"},
                       {"name": "v2", "weight": 10, "service": "model-%1$d-v2"}]}}
        """.formatted(i, NAMESPACE, PORT);
  }

  /** Slice {@code s} as it is now, to create (no resourceVersion) or to update over {@code resourceVersion}. */
  EndpointSlice object(int s, String resourceVersion) {
    Slice slice = slices.get(s);
    List<Endpoint> endpoints = new ArrayList<>();
    for (int e = 0; e < ENDPOINTS; e++) {
      endpoints.add(new EndpointBuilder()
          .withAddresses(slice.ips[e])
          .withNewConditions().withReady(slice.ready[e]).withServing(slice.ready[e]).withTerminating(false).endConditions()
          .withZone("zone-a")
          .build());
    }
    return new EndpointSliceBuilder()
        .withNewMetadata().withName(slice.name).withNamespace(NAMESPACE).withResourceVersion(resourceVersion)
        .withLabels(Map.of(SERVICE_LABEL, slice.name)).endMetadata()
        .withAddressType("IPv4")
        .addNewPort().withName("grpc").withPort(PORT).withProtocol("TCP").endPort()
        .withEndpoints(endpoints)
        .build();
  }

  /** Slice {@code s}'s cluster and its state now. */
  Change current(int s) {
    Slice slice = slices.get(s);
    return new Change(s, slice.cluster, key(slice), true);
  }

  /** Makes the next change (in memory; the driver writes it) and returns it. */
  Change next() {
    int s = next;
    next = (next + 1) % slices.size();
    Slice slice = slices.get(s);
    int e = slice.turn;
    boolean ready;
    if (slice.ready[e]) {
      slice.ready[e] = false;
      ready = false;
    } else {
      slice.ips[e] = freshAddress();
      slice.ready[e] = true;
      slice.turn = (e + 1) % ENDPOINTS;
      ready = true;
    }
    return new Change(s, slice.cluster, key(slice), ready);
  }

  /** A state's name: its ready {@code ip:port}s, sorted, comma-separated; {@link SliceSightings} names what proxies receive alike. */
  static String key(List<String> ipPorts) {
    List<String> sorted = new ArrayList<>(ipPorts);
    Collections.sort(sorted);
    return String.join(",", sorted);
  }

  private static String key(Slice slice) {
    List<String> ready = new ArrayList<>();
    for (int e = 0; e < ENDPOINTS; e++) {
      if (slice.ready[e]) {
        ready.add(slice.ips[e] + ":" + PORT);
      }
    }
    return key(ready);
  }

  /** 10.a.b.c with a, b, c in 1..250: never loopback, never reused within a run. */
  private String freshAddress() {
    int n = addresses++;
    return "10." + (1 + n / 62_500) + "." + (1 + n / 250 % 250) + "." + (1 + n % 250);
  }

  /** One EndpointSlice (and Service) and its endpoints; {@code turn} is the endpoint changed next. */
  private static final class Slice {
    final String name;
    final String cluster;
    final String[] ips;
    final boolean[] ready = new boolean[ENDPOINTS];
    int turn;

    Slice(String name, String cluster, String[] ips) {
      this.name = name;
      this.cluster = cluster;
      this.ips = ips;
      Arrays.fill(ready, true);
    }
  }
}
