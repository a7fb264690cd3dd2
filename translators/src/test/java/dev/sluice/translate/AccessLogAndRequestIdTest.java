package dev.sluice.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Value;
import dev.sluice.model.ModelRoute;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.request_id.uuid.v3.UuidRequestIdConfig;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What every Envoy request leaves behind (a JSON access log line) and carries (x-request-id). */
class AccessLogAndRequestIdTest {

  static HttpConnectionManager gatewayHcm(XdsResources resources) throws InvalidProtocolBufferException {
    Listener listener = resources.listeners().get(0);
    assertThat(listener.getName()).isEqualTo("gateway|10000");
    return listener.getFilterChains(0).getFilters(0).getTypedConfig().unpack(HttpConnectionManager.class);
  }

  @Test
  void gatewayLogsEveryRequestAsJsonToStdout_namingRouteVersionFlagsAndRequestId() throws Exception {
    HttpConnectionManager hcm = gatewayHcm(
        EnvoyTranslator.translate(GoldenFiles.input("weighted-split"), ProxyGroup.DEFAULT_GATEWAY).resources());

    assertThat(hcm.getAccessLogList()).hasSize(1);
    assertThat(hcm.getAccessLog(0).getName()).isEqualTo("envoy.access_loggers.stdout");
    assertThat(hcm.getAccessLog(0).hasFilter()).as("every request is logged").isFalse();
    StdoutAccessLog stdout = hcm.getAccessLog(0).getTypedConfig().unpack(StdoutAccessLog.class);
    Map<String, String> format = stdout.getLogFormat().getJsonFormat().getFieldsMap().entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().getStringValue()));
    assertThat(format).contains(
        Map.entry("start_time", "%START_TIME%"),
        Map.entry("method", "%REQ(:METHOD)%"),
        Map.entry("path", "%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%"),
        Map.entry("authority", "%REQ(:AUTHORITY)%"),
        Map.entry("response_code", "%RESPONSE_CODE%"),
        Map.entry("response_flags", "%RESPONSE_FLAGS%"),
        Map.entry("duration_ms", "%DURATION%"),
        Map.entry("upstream_cluster", "%UPSTREAM_CLUSTER%"),
        Map.entry("upstream_host", "%UPSTREAM_HOST%"),
        Map.entry("route_name", "%ROUTE_NAME%"),
        Map.entry("request_id", "%REQ(X-REQUEST-ID)%"),
        Map.entry("bytes_received", "%BYTES_RECEIVED%"),
        Map.entry("bytes_sent", "%BYTES_SENT%"),
        Map.entry("grpc_status", "%GRPC_STATUS(SNAKE_STRING)%"));
    assertThat(stdout.getLogFormat().getJsonFormat().getFieldsMap().values())
        .allSatisfy(v -> assertThat(v.getKindCase()).isEqualTo(Value.KindCase.STRING_VALUE))
        .allSatisfy(v -> assertThat(v.getStringValue()).matches("%[A-Z_]+(\\([^)]*\\))?%"));
  }

  @Test
  void routeNamesInTheLog_sayWhichRuleOrTheSplitSentTheRequest() throws IOException {
    List<String> names = EnvoyTranslator.translate(GoldenFiles.input("rules"), ProxyGroup.DEFAULT_GATEWAY)
        .resources().routes().get(0).getVirtualHostsList().stream()
        .flatMap(v -> v.getRoutesList().stream())
        .map(r -> r.getName())
        .toList();

    assertThat(names).isNotEmpty().allSatisfy(n -> assertThat(n).matches("[a-z0-9-]+\\|[a-z0-9-]+\\|(default|rule\\|[a-z0-9-]+)"));
  }

  @Test
  void callersRequestIdIsKept_returned_andOneIsMadeWhenMissing() throws Exception {
    HttpConnectionManager hcm = gatewayHcm(
        EnvoyTranslator.translate(GoldenFiles.input("weighted-split"), ProxyGroup.DEFAULT_GATEWAY).resources());

    assertThat(hcm.hasGenerateRequestId()).isTrue();
    assertThat(hcm.getGenerateRequestId().getValue()).isTrue();
    assertThat(hcm.getPreserveExternalRequestId()).isTrue();
    assertThat(hcm.getAlwaysSetRequestIdInResponse()).isTrue();
    UuidRequestIdConfig uuid = hcm.getRequestIdExtension().getTypedConfig().unpack(UuidRequestIdConfig.class);
    assertThat(uuid.getPackTraceReason().getValue()).as("a caller's UUID is not rewritten").isFalse();
    assertThat(uuid.getUseRequestIdForTraceSampling().getValue()).as("random_sampling applies").isTrue();
  }

  @Test
  void statPrefixOfTheGateway_namesItsPort() throws Exception {
    HttpConnectionManager hcm = gatewayHcm(
        EnvoyTranslator.translate(GoldenFiles.input("weighted-split"), ProxyGroup.DEFAULT_GATEWAY).resources());

    assertThat(hcm.getStatPrefix()).isEqualTo("gateway_10000");
  }

  @Test
  void proxylessApiListeners_carryNoAccessLogRequestIdOrTracing() throws Exception {
    TranslatorSettings tracingOn = TranslatorSettings.DEFAULTS.withTracing(
        new TracingSettings(TracingSettings.Provider.OPENTELEMETRY, "otel.observability", 4317, 100));
    for (String name : GoldenFiles.cases()) {
      List<ModelRoute> input = GoldenFiles.input(name);
      for (Listener listener : EnvoyTranslator.of(tracingOn).translateAll(input, ProxyGroup.PROXYLESS)
          .resources().listeners()) {
        HttpConnectionManager hcm = listener.getApiListener().getApiListener().unpack(HttpConnectionManager.class);
        assertThat(hcm.getAccessLogList()).as("%s %s", name, listener.getName()).isEmpty();
        assertThat(hcm.hasRequestIdExtension() || hcm.hasGenerateRequestId() || hcm.hasTracing()).isFalse();
      }
    }
  }
}
