package dev.sluice.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Ejects a failing server of a version from its load balancing for a while.
 *
 * @param consecutive5xx eject after this many 5xx (or gRPC errors) in a row; Envoy's default 5
 * @param failurePercent eject a server whose share of failed requests in an interval reaches this,
 *     0..100; off when omitted (gRPC clients implement this one, not the consecutive count)
 * @param minRequests requests a server needs in an interval before its failure share counts
 *     (default 50)
 * @param minHosts servers a version needs before failure shares are compared (default 5)
 * @param interval how often servers are evaluated (default 10s)
 * @param baseEjectionTime how long a first ejection lasts; repeated ejections last longer
 *     (default 30s)
 * @param maxEjectionPercent the most of a version's servers ejected at once, 0..100 (default 10)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"consecutive5xx", "failurePercent", "minRequests", "minHosts", "interval", "baseEjectionTime",
    "maxEjectionPercent"})
public record OutlierDetection(
    Integer consecutive5xx,
    Integer failurePercent,
    Integer minRequests,
    Integer minHosts,
    String interval,
    String baseEjectionTime,
    Integer maxEjectionPercent) {}
