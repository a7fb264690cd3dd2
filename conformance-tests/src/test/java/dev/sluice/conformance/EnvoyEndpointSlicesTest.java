package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versions from Kubernetes: pods and EndpointSlices written as API objects to a real kube-apiserver
 * (no kubelet runs; the backends on this machine's own address stand in for the pods), served by
 * a control plane in Kubernetes mode to a real Envoy and a grpc-java client.
 */
class EnvoyEndpointSlicesTest {
  private static final Logger log = LoggerFactory.getLogger(EnvoyEndpointSlicesTest.class);
  private static KubeApiServer kube;
  private static KubernetesClient client;

  @RegisterExtension
  static final EnvoySuite suite = EnvoySuite.gateway("envoy-slices-1").withControlPlane(store -> {
    kube = KubeApiServer.start();
    kube.installCrd();
    client = kube.client();
    for (String namespace : new String[] {"ml", "sluice-system"}) {
      if (!kube.kubectl(null, "create", "namespace", namespace).ok()) {
        throw new IllegalStateException("cannot create namespace " + namespace);
      }
    }
    ControlPlane cp = ControlPlane.prepare(store).withArgs(
        "--sluice.store.type=kubernetes", "--sluice.kubernetes.kubeconfig=" + kube.kubeconfig());
    cp.closing(kube);
    cp.closing(client);
    cp.start();
    return cp;
  });

  @Test
  @DisplayName("versions by pod label: traffic reaches the selected pods; an unready pod leaves EDS alone, fast")
  void selectors_routeToPods_andUnreadyPodsLeave() throws Exception {
    String ip = HostAddresses.ipv4().orElseThrow(() -> new IllegalStateException("this machine has no non-loopback IPv4"));
    try (HttpBackend a1 = new HttpBackend("a1", ip); HttpBackend a2 = new HttpBackend("a2", ip);
        HttpBackend b1 = new HttpBackend("b1", ip)) {
      pod("fraud-a1", "v1");
      pod("fraud-a2", "v1");
      pod("fraud-b1", "v2");
      slice("fraud-a1", "fraud", "IPv4", a1.host(), a1.port(), "fraud-a1", true, "zone-a");
      slice("fraud-a2", "fraud", "IPv4", a2.host(), a2.port(), "fraud-a2", true, "zone-b");
      slice("fraud-b1", "fraud", "IPv4", b1.host(), b1.port(), "fraud-b1", true, "zone-a");
      kube.apply("""
          apiVersion: sluice.dev/v1alpha1
          kind: ModelRoute
          metadata: {name: fraud, namespace: ml}
          spec:
            hosts: [fraud.ml]
            port: 8080
            service: fraud
            versions:
            - {name: v1, weight: 100, selector: {app: fraud, version: v1}}
            - {name: v2, weight: 0, selector: {app: fraud, version: v2}}
          """);
      suite.envoy().awaitFirst200("fraud.ml", Duration.ofSeconds(30));
      assertThat(suite.envoy().served("fraud.ml", 40)).containsOnlyKeys("a1", "a2");
      assertThat(suite.envoy().clusters()).contains("zone-a", "zone-b");

      Map<String, String> before = ackedVersions();
      long updated = setReady("fraud-a2", false);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (suite.envoy().clusters().contains(a2.host() + ":" + a2.port())) {
        assertThat(System.nanoTime()).as("a2 still in Envoy's endpoints 10 s after it went unready").isLessThan(deadline);
        Thread.sleep(5);
      }
      long leftMillis = (System.nanoTime() - updated) / 1_000_000;
      log.info("unready pod left Envoy's endpoints {} ms after the EndpointSlice update", leftMillis);
      assertThat(suite.envoy().served("fraud.ml", 20)).containsOnlyKeys("a1");
      Map<String, String> after = awaitAckedEndpoints(before);
      assertThat(after).as("only endpoints were pushed")
          .containsEntry("clusters", before.get("clusters"))
          .containsEntry("listeners", before.get("listeners"))
          .containsEntry("routes", before.get("routes"));
      suite.detail("unready pod left Envoy's endpoints " + leftMillis + " ms after the slice update; CDS/LDS/RDS unchanged");

      setReady("fraud-a2", true);
      long back = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!suite.envoy().served("fraud.ml", 20).containsKey("a2")) {
        assertThat(System.nanoTime()).as("a2 back 10 s after it was ready again").isLessThan(back);
      }
    }
  }

  @Test
  @DisplayName("a Service per version, IPv6 too: grpc-java and Envoy follow the slices")
  void servicePerVersion_ipv6_reachesGrpcJavaAndEnvoy() throws Exception {
    String ip = HostAddresses.ipv4().orElseThrow();
    try (TaggedBackend g1 = new TaggedBackend("g1", ip)) {
      slice("ranker-v1-a", "ranker-v1", "IPv4", ip, g1.port(), null, true, null);
      kube.apply("""
          apiVersion: sluice.dev/v1alpha1
          kind: ModelRoute
          metadata: {name: ranker, namespace: ml}
          spec:
            hosts: [ranker.ml]
            port: 8080
            protocol: GRPC
            versions:
            - {name: v1, weight: 100, service: ranker-v1}
          """);
      try (ProxylessClient grpc = new ProxylessClient(suite.cp().grpcBootstrap("slices-client"), "ranker.ml")) {
        assertThat(grpc.calls(10, Duration.ofSeconds(20), Map.of())).containsOnly("g1");
      }

      var ipv6 = HostAddresses.ipv6();
      if (ipv6.isEmpty()) {
        log.warn("this machine has no non-loopback IPv6 address: the IPv6 EndpointSlice case is not run");
        return;
      }
      try (HttpBackend h6 = new HttpBackend("h6", ipv6.get())) {
        slice("scorer-v1-a", "scorer-v1", "IPv6", h6.host(), h6.port(), null, true, null);
        kube.apply("""
            apiVersion: sluice.dev/v1alpha1
            kind: ModelRoute
            metadata: {name: scorer, namespace: ml}
            spec:
              hosts: [scorer.ml]
              port: 8080
              versions:
              - {name: v1, weight: 100, service: scorer-v1}
            """);
        suite.envoy().awaitFirst200("scorer.ml", Duration.ofSeconds(30));
        assertThat(suite.envoy().served("scorer.ml", 10)).containsOnlyKeys("h6");
        suite.detail("grpc-java on an IPv4 slice; Envoy on an IPv6 slice (" + h6.host() + ")");
      }
    }
  }

  private static void pod(String name, String version) {
    client.pods().inNamespace("ml").resource(new PodBuilder()
        .withNewMetadata().withName(name).withLabels(Map.of("app", "fraud", "version", version)).endMetadata()
        .withNewSpec().addNewContainer().withName("model").withImage("example.invalid/model:1").endContainer().endSpec()
        .build()).create();
  }

  private static void slice(String name, String service, String family, String ip, int port, String pod, boolean ready,
      String zone) {
    var endpoint = new io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder()
        .withAddresses(ip)
        .withNewConditions().withReady(ready).withServing(ready).withTerminating(false).endConditions()
        .withZone(zone);
    if (pod != null) {
      endpoint.withNewTargetRef().withKind("Pod").withName(pod).withNamespace("ml").endTargetRef();
    }
    client.discovery().v1().endpointSlices().inNamespace("ml").resource(new EndpointSliceBuilder()
        .withNewMetadata().withName(name).withLabels(Map.of("kubernetes.io/service-name", service)).endMetadata()
        .withAddressType(family)
        .addNewPort().withName("http").withPort(port).withProtocol("TCP").endPort()
        .withEndpoints(endpoint.build())
        .build()).create();
  }

  /** Flips the readiness of the slice's endpoint; returns System.nanoTime() when the API server took it. */
  private static long setReady(String slice, boolean ready) {
    client.discovery().v1().endpointSlices().inNamespace("ml").withName(slice).edit(s -> {
      EndpointSlice copy = new EndpointSliceBuilder(s).build();
      copy.getEndpoints().get(0).getConditions().setReady(ready);
      copy.getEndpoints().get(0).getConditions().setServing(ready);
      return copy;
    });
    return System.nanoTime();
  }



  /** The versions the gateway acked, per xDS type, as /api/v1/proxies shows them. */
  private static Map<String, String> ackedVersions() {
    ControlPlane.Response r = suite.cp().get("/api/v1/proxies");
    Map<String, String> acked = new HashMap<>();
    Map<String, String> names = Map.of("envoy.config.cluster.v3.Cluster", "clusters",
        "envoy.config.endpoint.v3.ClusterLoadAssignment", "endpoints", "envoy.config.listener.v3.Listener", "listeners",
        "envoy.config.route.v3.RouteConfiguration", "routes");
    for (var proxy : r.body().path("items")) {
      if (proxy.path("nodeId").asString().equals("envoy-slices-1")) {
        proxy.path("types").properties().forEach(e -> {
          String type = e.getKey().substring(e.getKey().lastIndexOf('/') + 1);
          if (names.containsKey(type)) {
            acked.put(names.get(type), e.getValue().path("ackedVersion").asString());
          }
        });
      }
    }
    return acked;
  }

  private static Map<String, String> awaitAckedEndpoints(Map<String, String> before) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    Map<String, String> now = ackedVersions();
    while (now.get("endpoints") == null || now.get("endpoints").equals(before.get("endpoints"))) {
      assertThat(System.nanoTime()).as("no new endpoints version acked: %s", now).isLessThan(deadline);
      Thread.sleep(50);
      now = ackedVersions();
    }
    return now;
  }
}
