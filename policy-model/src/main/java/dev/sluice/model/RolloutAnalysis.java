package dev.sluice.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * What a healthy canary is, judged on the requests the canary served during a check.
 *
 * @param successRate the lowest acceptable share of requests that did not fail
 * @param latency the highest acceptable latency; no latency check when absent
 * @param minRequests a check needs at least this many requests to the canary; fewer means wait,
 *     never pass. Default 100
 * @param failureLimit consecutive failed checks that roll the canary back; default 2
 * @param failures which responses count as failures
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"successRate", "latency", "minRequests", "failureLimit", "failures"})
public record RolloutAnalysis(
    SuccessRate successRate, LatencyLimit latency, Integer minRequests, Integer failureLimit, FailureCodes failures) {

  public static final double DEFAULT_MIN_SUCCESS_PERCENT = 99.0;
  public static final int DEFAULT_MIN_REQUESTS = 100;
  public static final int DEFAULT_FAILURE_LIMIT = 2;

  /** @param min per cent, 0..100: the canary fails a check when its success rate is surely below it */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SuccessRate(Double min) {}

  /** @param p99Max the canary fails a check when the 99th percentile of its latency is above it */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record LatencyLimit(String p99Max) {}

  /**
   * What counts as a failed request.
   *
   * @param httpStatuses HTTP statuses: a class ({@code 5xx}, {@code 4xx}) or a code ({@code 429});
   *     default {@code [5xx]}
   * @param grpcStatuses gRPC status names ({@code UNAVAILABLE}); default the server-side failures
   *     {@link #DEFAULT_GRPC}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"httpStatuses", "grpcStatuses"})
  public record FailureCodes(List<String> httpStatuses, List<String> grpcStatuses) {
    public static final List<String> DEFAULT_HTTP = List.of("5xx");
    public static final List<String> DEFAULT_GRPC =
        List.of("UNKNOWN", "DEADLINE_EXCEEDED", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS");

    public FailureCodes {
      httpStatuses = Lists.copyOrNull(httpStatuses);
      grpcStatuses = Lists.copyOrNull(grpcStatuses);
    }
  }

  /** This analysis with every absent value set to its default. */
  public RolloutAnalysis withDefaults() {
    SuccessRate rate = successRate == null || successRate.min() == null
        ? new SuccessRate(DEFAULT_MIN_SUCCESS_PERCENT) : successRate;
    FailureCodes codes = failures == null ? new FailureCodes(null, null) : failures;
    codes = new FailureCodes(codes.httpStatuses() == null ? FailureCodes.DEFAULT_HTTP : codes.httpStatuses(),
        codes.grpcStatuses() == null ? FailureCodes.DEFAULT_GRPC : codes.grpcStatuses());
    return new RolloutAnalysis(rate, latency, minRequests == null ? DEFAULT_MIN_REQUESTS : minRequests,
        failureLimit == null ? DEFAULT_FAILURE_LIMIT : failureLimit, codes);
  }
}
