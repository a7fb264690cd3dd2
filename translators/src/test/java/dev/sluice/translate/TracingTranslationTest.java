package dev.sluice.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.model.ModelRoute;
import dev.sluice.model.Tracing;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.trace.v3.OpenTelemetryConfig;
import io.envoyproxy.envoy.config.trace.v3.ZipkinConfig;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Global tracing from the control plane's settings, and a route's own sampling percent. */
class TracingTranslationTest {
  static final TracingSettings OTEL =
      new TracingSettings(TracingSettings.Provider.OPENTELEMETRY, "otel-collector.observability", 4317, 1);
  static final TracingSettings ZIPKIN =
      new TracingSettings(TracingSettings.Provider.ZIPKIN, "zipkin.observability", 9411, 0.5);

  static XdsResources gateway(TracingSettings tracing, List<ModelRoute> routes) {
    Translation t = EnvoyTranslator.of(TranslatorSettings.DEFAULTS.withTracing(tracing))
        .translateAll(routes, ProxyGroup.DEFAULT_GATEWAY);
    assertThat(t.rejected()).isEmpty();
    return t.resources();
  }

  static ModelRoute allFields() throws IOException {
    return GoldenFiles.input("all-fields").get(0);
  }

  @Test
  void tracingOff_isTheStandardTranslator_noTracerAndNoCollector() throws Exception {
    for (String name : List.of("weighted-split", "all-fields", "rules")) {
      List<ModelRoute> input = GoldenFiles.input(name);
      for (ProxyGroup group : GoldenTranslationTest.GROUPS) {
        XdsResources standard = EnvoyTranslator.translate(input, group).resources();
        XdsResources defaults = EnvoyTranslator.of(TranslatorSettings.DEFAULTS).translateAll(input, group).resources();
        assertThat(UpstreamTlsTest.bytes(defaults)).isEqualTo(UpstreamTlsTest.bytes(standard));
        assertThat(standard.clusters()).extracting(Cluster::getName).doesNotContain(Names.tracingCollectorCluster());
      }
    }
    HttpConnectionManager hcm = AccessLogAndRequestIdTest.gatewayHcm(
        EnvoyTranslator.translate(List.of(allFields()), ProxyGroup.DEFAULT_GATEWAY).resources());
    assertThat(hcm.hasTracing()).isFalse();
  }

  @Test
  void openTelemetry_tracesTheGlobalPercent_andExportsOtlpOverHttp2ToTheCollector() throws Exception {
    XdsResources out = gateway(OTEL, GoldenFiles.input("weighted-split"));

    HttpConnectionManager.Tracing tracing = AccessLogAndRequestIdTest.gatewayHcm(out).getTracing();
    assertThat(tracing.getRandomSampling().getValue()).isEqualTo(1.0);
    assertThat(tracing.getProvider().getName()).isEqualTo("envoy.tracers.opentelemetry");
    OpenTelemetryConfig otel = tracing.getProvider().getTypedConfig().unpack(OpenTelemetryConfig.class);
    assertThat(otel.getGrpcService().getEnvoyGrpc().getClusterName()).isEqualTo("sluice|tracing-collector");
    assertThat(otel.getServiceName()).isEqualTo("sluice-gateway");

    Cluster collector = collector(out);
    assertThat(collector.getType()).isEqualTo(Cluster.DiscoveryType.STRICT_DNS);
    var address = collector.getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress()
        .getSocketAddress();
    assertThat(address.getAddress()).isEqualTo("otel-collector.observability");
    assertThat(address.getPortValue()).isEqualTo(4317);
    assertThat(collector.getTypedExtensionProtocolOptionsMap()).containsKey(ClusterTranslator.HTTP_PROTOCOL_OPTIONS);
  }

  @Test
  void zipkin_postsV2JsonSpansOverHttp1() throws Exception {
    XdsResources out = gateway(ZIPKIN, GoldenFiles.input("weighted-split"));

    HttpConnectionManager.Tracing tracing = AccessLogAndRequestIdTest.gatewayHcm(out).getTracing();
    assertThat(tracing.getRandomSampling().getValue()).isEqualTo(0.5);
    assertThat(tracing.getProvider().getName()).isEqualTo("envoy.tracers.zipkin");
    ZipkinConfig zipkin = tracing.getProvider().getTypedConfig().unpack(ZipkinConfig.class);
    assertThat(zipkin.getCollectorCluster()).isEqualTo("sluice|tracing-collector");
    assertThat(zipkin.getCollectorEndpoint()).isEqualTo("/api/v2/spans");
    assertThat(zipkin.getCollectorEndpointVersion()).isEqualTo(ZipkinConfig.CollectorEndpointVersion.HTTP_JSON);
    assertThat(collector(out).getTypedExtensionProtocolOptionsMap()).isEmpty();
  }

  @Test
  void routeSamplingPercent_isOnEveryEntryOfThatRoute_andOnlyThere() throws Exception {
    List<ModelRoute> input = GoldenFiles.input("tracing-opentelemetry");

    Map<String, List<Route>> byHost = gateway(OTEL, input).routes().get(0).getVirtualHostsList().stream()
        .collect(Collectors.toMap(v -> v.getName(), v -> v.getRoutesList()));

    assertThat(byHost.get("ml|fraud-scorer")).hasSize(2).allSatisfy(r -> {
      assertThat(r.hasTracing()).isTrue();
      assertThat(r.getTracing().getRandomSampling()).isEqualTo(FractionalPercent.newBuilder()
          .setNumerator(250_000).setDenominator(FractionalPercent.DenominatorType.MILLION).build());
      assertThat(r.getTracing().hasClientSampling() || r.getTracing().hasOverallSampling()).isFalse();
    });
    assertThat(byHost.get("ml|ranker")).allSatisfy(r -> assertThat(r.hasTracing()).isFalse());
  }

  @Test
  void routeSamplingPercent_keepsFourDecimals() throws Exception {
    ModelRoute route = allFields().withSpec(allFields().spec().withTracing(new Tracing(0.0001)));

    Route entry = gateway(OTEL, List.of(route)).routes().get(0).getVirtualHosts(0).getRoutes(0);

    assertThat(entry.getTracing().getRandomSampling().getNumerator()).isEqualTo(1);
  }

  @Test
  void proxylessOutput_isByteIdentical_whateverTheTracingSettingsAndSpecTracing() throws Exception {
    TranslatorSettings on = TranslatorSettings.DEFAULTS.withTracing(OTEL);
    for (String name : GoldenFiles.cases()) {
      List<ModelRoute> input = GoldenFiles.input(name);
      XdsResources off = EnvoyTranslator.translate(input, ProxyGroup.PROXYLESS).resources();
      XdsResources traced = EnvoyTranslator.of(on).translateAll(input, ProxyGroup.PROXYLESS).resources();
      assertThat(UpstreamTlsTest.bytes(traced)).as(name).isEqualTo(UpstreamTlsTest.bytes(off));
    }
    ModelRoute withTracing = allFields();
    ModelRoute without = withTracing.withSpec(withTracing.spec().withTracing(null));
    assertThat(withTracing.spec().tracing()).isNotNull();
    assertThat(UpstreamTlsTest.bytes(EnvoyTranslator.of(on).translateAll(List.of(withTracing), ProxyGroup.PROXYLESS)
        .resources()))
        .isEqualTo(UpstreamTlsTest.bytes(EnvoyTranslator.translate(List.of(without), ProxyGroup.PROXYLESS).resources()));
  }

  @Test
  void routeView_showsTheCollectorWithTheRoutesOwnGatewayResources() throws Exception {
    List<ModelRoute> input = GoldenFiles.input("tracing-opentelemetry");
    XdsResources all = gateway(OTEL, input);

    XdsResources view = RouteView.of(all, input.get(1), ProxyGroup.DEFAULT_GATEWAY);

    assertThat(view.clusters()).extracting(Cluster::getName).containsExactly("ml|ranker|v1", "sluice|tracing-collector");
    assertThat(view.listeners()).hasSize(1);
  }

  @Test
  void badTracingSettings_areRefusedNamingThePart() {
    var otel = TracingSettings.Provider.OPENTELEMETRY;
    assertThatThrownBy(() -> new TracingSettings(otel, "otel collector", 4317, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host 'otel collector'");
    assertThatThrownBy(() -> new TracingSettings(otel, "", 4317, 1)).hasMessageContaining("host");
    assertThatThrownBy(() -> new TracingSettings(otel, "otel", 0, 1)).hasMessageContaining("port");
    assertThatThrownBy(() -> new TracingSettings(otel, "otel", 65536, 1)).hasMessageContaining("port");
    assertThatThrownBy(() -> new TracingSettings(otel, "otel", 4317, 100.5)).hasMessageContaining("percent");
    assertThatThrownBy(() -> new TracingSettings(otel, "otel", 4317, Double.NaN)).hasMessageContaining("percent");
    assertThatThrownBy(() -> new TracingSettings(otel, "otel", 4317, 0.00001)).hasMessageContaining("decimals");
    assertThatThrownBy(() -> new TracingSettings(null, "otel", 4317, 1)).isInstanceOf(NullPointerException.class);
    assertThat(new TracingSettings(otel, "10.0.0.5", 4317, 0).collectorHost()).isEqualTo("10.0.0.5");
    assertThat(new TracingSettings(otel, "fd00::5", 4317, 100).collectorHost()).isEqualTo("fd00::5");
    assertThatThrownBy(() -> TranslatorSettings.DEFAULTS.withTrustDomain("Bad Domain"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void envoysRules_reachInsideThePackedTracerAndAccessLog() {
    HttpConnectionManager hcm = HttpConnectionManager.newBuilder()
        .setStatPrefix("x")
        .setTracing(HttpConnectionManager.Tracing.newBuilder().setProvider(
            io.envoyproxy.envoy.config.trace.v3.Tracing.Http.newBuilder().setName(TracingTranslator.ZIPKIN)
                .setTypedConfig(com.google.protobuf.Any.pack(ZipkinConfig.newBuilder().setCollectorCluster("c").build()))))
        .addAccessLog(io.envoyproxy.envoy.config.accesslog.v3.AccessLog.newBuilder().setName(AccessLogs.STDOUT)
            .setTypedConfig(com.google.protobuf.Any.pack(
                io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog.newBuilder()
                    .setLogFormat(io.envoyproxy.envoy.config.core.v3.SubstitutionFormatString.getDefaultInstance())
                    .build())))
        .build();

    List<String> paths = dev.sluice.translate.check.ProtoRules.check(hcm, EnvoyJson.PACKED).stream()
        .map(dev.sluice.translate.check.Violation::path).toList();

    assertThat(paths).anySatisfy(p -> assertThat(p).endsWith("ZipkinConfig).collector_endpoint"));
    assertThat(paths).anySatisfy(p -> assertThat(p).contains("StdoutAccessLog).log_format"));
  }

  private static Cluster collector(XdsResources out) {
    return out.clusters().stream().filter(c -> c.getName().equals("sluice|tracing-collector")).findFirst().orElseThrow();
  }
}
