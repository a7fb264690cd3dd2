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
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"attempts", "perTryTimeout", "on"})
public record RetryPolicy(Integer attempts, String perTryTimeout, List<String> on) {

  public RetryPolicy {
    on = Lists.copyOrNull(on);
  }
}
