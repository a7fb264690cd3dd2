package dev.sluice.translate;

import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.core.v3.SubstitutionFormatString;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The access log of Envoy roles: one JSON object per request on Envoy's standard output, where
 * container platforms collect it. Every request is logged, including those no route matched
 * ({@code response_flags: NR}) and those Envoy answered itself.
 *
 * <p>Which model version served a request is {@code upstream_cluster}, {@code <ns>|<route>|<version>}
 * ({@link Names#cluster}); which rule sent it there is {@code route_name} ({@code <ns>|<route>|default}
 * for the weighted split, {@code <ns>|<route>|rule|<rule>} for a rule). Numbers come out as JSON
 * numbers, absent values as {@code null}.
 */
final class AccessLogs {
  static final String STDOUT = "envoy.access_loggers.stdout";

  /**
   * The fields of a line and Envoy's command operators for them, in the order written. Only
   * long-standing operators: one a proxy does not know makes it reject the whole listener (the
   * Envoy suite runs this format on the pinned image).
   */
  static final Map<String, String> FIELDS = fields();

  private AccessLogs() {}

  static AccessLog stdoutJson() {
    Struct.Builder format = Struct.newBuilder();
    FIELDS.forEach((field, operator) -> format.putFields(field, Value.newBuilder().setStringValue(operator).build()));
    StdoutAccessLog stdout = StdoutAccessLog.newBuilder()
        .setLogFormat(SubstitutionFormatString.newBuilder().setJsonFormat(format))
        .build();
    return AccessLog.newBuilder().setName(STDOUT).setTypedConfig(Any.pack(stdout)).build();
  }

  private static Map<String, String> fields() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("start_time", "%START_TIME%");
    f.put("method", "%REQ(:METHOD)%");
    // The path as the caller sent it, before any rewrite.
    f.put("path", "%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%");
    f.put("protocol", "%PROTOCOL%");
    f.put("authority", "%REQ(:AUTHORITY)%");
    f.put("response_code", "%RESPONSE_CODE%");
    // Short codes of what went wrong: UH no healthy server, UO overflow (circuit breaker),
    // UT upstream timeout, URX retries exhausted, NR no route, FI/DI injected abort/delay...
    f.put("response_flags", "%RESPONSE_FLAGS%");
    f.put("response_code_details", "%RESPONSE_CODE_DETAILS%");
    // gRPC models: the status from the trailers (or headers); for plain HTTP, Envoy infers one
    // from the HTTP status.
    f.put("grpc_status", "%GRPC_STATUS(SNAKE_STRING)%");
    f.put("bytes_received", "%BYTES_RECEIVED%");
    f.put("bytes_sent", "%BYTES_SENT%");
    f.put("duration_ms", "%DURATION%");
    f.put("upstream_service_time_ms", "%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%");
    f.put("route_name", "%ROUTE_NAME%");
    f.put("upstream_cluster", "%UPSTREAM_CLUSTER%");
    f.put("upstream_host", "%UPSTREAM_HOST%");
    f.put("upstream_transport_failure_reason", "%UPSTREAM_TRANSPORT_FAILURE_REASON%");
    f.put("request_id", "%REQ(X-REQUEST-ID)%");
    f.put("trace_id", "%TRACE_ID%");
    f.put("downstream_remote_address", "%DOWNSTREAM_REMOTE_ADDRESS%");
    f.put("user_agent", "%REQ(USER-AGENT)%");
    return java.util.Collections.unmodifiableMap(f);
  }
}
