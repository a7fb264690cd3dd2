package dev.sluice.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** What the server observed of a route; written by the server only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"observedGeneration", "conditions", "proxies"})
public record ModelRouteStatus(Long observedGeneration, List<Condition> conditions, ProxyCounts proxies) {

  public ModelRouteStatus {
    conditions = Lists.copyOrNull(conditions);
  }

  public ModelRouteStatus(Long observedGeneration, List<Condition> conditions) {
    this(observedGeneration, conditions, null);
  }

  /**
   * Of the connected proxies that receive the route: how many run its current generation, rejected
   * it, or have not acked it yet.
   */
  @JsonPropertyOrder({"acked", "nacked", "pending"})
  public record ProxyCounts(int acked, int nacked, int pending) {}

  /** A Kubernetes-style condition. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"type", "status", "reason", "message"})
  public record Condition(String type, String status, String reason, String message) {}
}
