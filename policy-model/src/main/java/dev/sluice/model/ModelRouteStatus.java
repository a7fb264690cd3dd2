package dev.sluice.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** What the server observed of a route; written by the server only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"observedGeneration", "conditions"})
public record ModelRouteStatus(Long observedGeneration, List<Condition> conditions) {

  public ModelRouteStatus {
    conditions = Lists.copyOrNull(conditions);
  }

  /** A Kubernetes-style condition. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"type", "status", "reason", "message"})
  public record Condition(String type, String status, String reason, String message) {}
}
