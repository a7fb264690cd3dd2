package dev.sluice.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Limits per version (per Envoy cluster and proxy); requests over a limit fail fast with 503
 * instead of queueing on a saturated model server. Each limit is optional; Envoy's default is 1024.
 *
 * @param maxConnections open connections to the version's servers
 * @param maxPendingRequests requests waiting for a connection
 * @param maxRequests requests in flight
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"maxConnections", "maxPendingRequests", "maxRequests"})
public record CircuitBreaker(Integer maxConnections, Integer maxPendingRequests, Integer maxRequests) {}
