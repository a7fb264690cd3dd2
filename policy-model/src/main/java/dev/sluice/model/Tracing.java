package dev.sluice.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * How much of a route's traffic Envoy traces, overriding the control plane's global sampling
 * ({@code sluice.tracing.sampling-percent}) for this route. It takes effect only where the control
 * plane has a tracing provider configured; gRPC clients (proxyless) ignore it.
 *
 * @param samplingPercent share of requests traced, 0..100, up to four decimals; required when
 *     {@code tracing} is given
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"samplingPercent"})
public record Tracing(@Required Double samplingPercent) {}
