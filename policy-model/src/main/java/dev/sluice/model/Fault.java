package dev.sluice.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Failures injected on purpose, to rehearse how callers cope. At least one of the two is set.
 *
 * @param delay hold a share of requests before forwarding them
 * @param abort answer a share of requests with an error instead of forwarding them
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"delay", "abort"})
public record Fault(Delay delay, Abort abort) {

  /**
   * @param percent share of requests delayed, 0..100, up to four decimals
   * @param duration how long, in Go duration form
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"percent", "duration"})
  public record Delay(@Required Double percent, @Required String duration) {}

  /**
   * @param percent share of requests aborted, 0..100, up to four decimals
   * @param httpStatus the status returned, 200..599 (gRPC callers see it mapped to a gRPC status,
   *     503 to UNAVAILABLE)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"percent", "httpStatus"})
  public record Abort(@Required Double percent, @Required Integer httpStatus) {}
}
