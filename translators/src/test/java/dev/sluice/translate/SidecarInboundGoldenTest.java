package dev.sluice.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.model.ModelRoute;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The inbound direction of sidecars, per {@code spec.tls} mode, from the mtls case's routes: a pod
 * serving a MUTUAL route, a PERMISSIVE one, a DISABLED one, and one no route names. Golden file
 * {@code out/mtls.sidecar-inbound.yaml}: per pod, its inbound listener and the app's clusters.
 */
class SidecarInboundGoldenTest {
  static final String FILE = "mtls.sidecar-inbound.yaml";
  static final Map<String, SidecarScope> PODS = pods();

  @Test
  void inboundListenersMatchTheGoldenFile() throws IOException {
    List<ModelRoute> routes = GoldenFiles.input("mtls");
    ObjectNode doc = GoldenTranslationTest.JSON.createObjectNode();
    PODS.forEach((what, scope) -> {
      XdsResources out = EnvoyTranslator.STANDARD.translateAll(routes, ProxyGroup.sidecar(scope)).resources();
      ArrayNode list = doc.putArray(what);
      out.listeners().stream().filter(l -> l.getName().equals(Names.sidecarInboundListener()))
          .forEach(l -> list.add(GoldenTranslationTest.JSON.readTree(EnvoyJson.print(l))));
      out.clusters().stream().filter(c -> c.getName().startsWith("inbound|"))
          .forEach(c -> list.add(GoldenTranslationTest.JSON.readTree(EnvoyJson.print(c))));
    });
    String diff = GoldenFiles.compare(FILE, GoldenTranslationTest.YAML.writeValueAsString(doc));
    assertThat(diff).as(diff).isNull();
  }

  @Test
  void theStrictestModeOfTheRoutesAPodServesWins() throws IOException {
    List<ModelRoute> routes = GoldenFiles.input("mtls");
    SidecarScope embedder = PODS.get("mutual search/embedder");
    assertThat(InboundTls.mode(embedder, routes)).hasToString("MUTUAL");
    assertThat(InboundTls.mode(PODS.get("permissive shop/ranker-serving.v1"), routes)).hasToString("PERMISSIVE");
    assertThat(InboundTls.mode(PODS.get("disabled media/captioner"), routes)).hasToString("DISABLED");
    assertThat(InboundTls.mode(PODS.get("no route names it"), routes)).isEqualTo(InboundTls.DEFAULT_MODE);
    // Two routes naming the same pod: the weaker one does not weaken it, whatever the order.
    ModelRoute disabled = route("a-plain", "DISABLED");
    ModelRoute mutual = route("b-strict", "MUTUAL");
    SidecarScope pod = new SidecarScope("lab", "shared", List.of(8080));
    assertThat(InboundTls.mode(pod, List.of(disabled, mutual))).hasToString("MUTUAL");
    assertThat(InboundTls.mode(pod, List.of(mutual, disabled))).hasToString("MUTUAL");
    assertThat(InboundTls.mode(pod, List.of(disabled))).hasToString("DISABLED");
  }

  private static ModelRoute route(String name, String mode) {
    String yaml = """
        apiVersion: sluice.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: %s, namespace: lab}
        spec:
          hosts: [%s.lab]
          port: 8080
          versions: [{name: v1, weight: 100, endpoints: ["10.0.0.1:8080"], serviceAccount: shared}]
          tls: {mode: %s}
        """.formatted(name, name, mode);
    return dev.sluice.model.ModelRouteCodec.parse(yaml, dev.sluice.model.ModelRouteCodec.Format.YAML).route();
  }

  @Test
  void aPodWithoutPortsHasNoInboundListener() throws IOException {
    XdsResources out = EnvoyTranslator.STANDARD.translateAll(GoldenFiles.input("mtls"),
        ProxyGroup.sidecar(new SidecarScope("search", "embedder", List.of()))).resources();
    assertThat(out.listeners()).extracting(Listener::getName).containsExactly(Names.sidecarOutboundListener());
    assertThat(out.clusters()).extracting(Cluster::getName).noneMatch(n -> n.startsWith("inbound|"));
  }

  private static Map<String, SidecarScope> pods() {
    Map<String, SidecarScope> pods = new LinkedHashMap<>();
    pods.put("mutual search/embedder", new SidecarScope("search", "embedder", List.of(50051, 9090)));
    pods.put("permissive shop/ranker-serving.v1", new SidecarScope("shop", "ranker-serving.v1", List.of(80)));
    pods.put("disabled media/captioner", new SidecarScope("media", "captioner", List.of(8000)));
    pods.put("no route names it", new SidecarScope("search", "indexer", List.of(8080)));
    return pods;
  }
}
