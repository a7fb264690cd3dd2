package dev.sluice.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * How failed requests are retried.
 *
 * @param attempts how many retries after the first try (0..10)
 * @param perTryTimeout deadline of each try, in Go duration form
 * @param on the conditions that trigger a retry; see {@link RetryCondition}
 * @param backoff the wait between tries (Envoy's default: 25 ms base, ten times that at most)
 * @param budget caps retries as a share of the requests in flight to a version
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"attempts", "perTryTimeout", "on", "backoff", "budget"})
public record RetryPolicy(
    @Required Integer attempts, String perTryTimeout, List<String> on, Backoff backoff, Budget budget) {

  public RetryPolicy {
    on = Lists.copyOrNull(on);
  }

  public RetryPolicy(Integer attempts, String perTryTimeout, List<String> on) {
    this(attempts, perTryTimeout, on, null, null);
  }

  /**
   * Exponential backoff with jitter between tries.
   *
   * @param base the first wait
   * @param max the longest wait; at least {@code base}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"base", "max"})
  public record Backoff(@Required String base, String max) {}

  /**
   * A retry budget: retries in flight never exceed {@code percent} of the active requests, but
   * {@code minConcurrency} retries are always allowed.
   *
   * @param percent 0..100
   * @param minConcurrency retries always allowed regardless of the percent
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"percent", "minConcurrency"})
  public record Budget(@Required Double percent, Integer minConcurrency) {}
}
