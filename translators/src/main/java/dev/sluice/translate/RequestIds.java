package dev.sluice.translate;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.RequestIDExtension;
import io.envoyproxy.envoy.extensions.request_id.uuid.v3.UuidRequestIdConfig;

/**
 * {@code x-request-id} on Envoy roles: a caller's id is kept as sent and forwarded to the model
 * server; a request without one gets a random UUID. Either way the caller sees it in the response,
 * and the access log and the trace carry it, so one id follows a request through every hop.
 */
final class RequestIds {
  private RequestIds() {}

  static void configure(HttpConnectionManager.Builder hcm) {
    UuidRequestIdConfig uuid = UuidRequestIdConfig.newBuilder()
        // Envoy would otherwise rewrite one hex digit of a traced request's UUID to record why it
        // was traced; a caller's id stays byte for byte what it sent. Each Envoy still decides
        // itself (the trace reason lives in the request's stream info), and the next hop follows
        // the sampled flag of the trace context headers.
        .setPackTraceReason(BoolValue.of(false))
        // Sampling hashes the request id, so a given id is sampled alike on every proxy with the
        // same percent. Without it Envoy would trace every request and ignore random_sampling.
        .setUseRequestIdForTraceSampling(BoolValue.of(true))
        .build();
    hcm.setGenerateRequestId(BoolValue.of(true))
        // Without it an edge Envoy replaces the caller's id with its own.
        .setPreserveExternalRequestId(true)
        .setAlwaysSetRequestIdInResponse(true)
        .setRequestIdExtension(RequestIDExtension.newBuilder().setTypedConfig(Any.pack(uuid)));
  }
}
