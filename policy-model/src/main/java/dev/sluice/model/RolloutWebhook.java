package dev.sluice.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An HTTP call the rollout makes: {@code pre-step} before each step starts (a non-2xx answer holds
 * the step and counts as a failed check), {@code rollback} when the canary is rolled back
 * (best effort). The body is the rollout's state as JSON.
 *
 * @param name a DNS-1123 label, unique among the webhooks
 * @param type {@code pre-step} or {@code rollback}
 * @param url an absolute http or https URL
 * @param timeout how long to wait for the answer; default 10s, at most 1m
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "type", "url", "timeout"})
public record RolloutWebhook(@Required String name, @Required String type, @Required String url, String timeout) {
  public static final String PRE_STEP = "pre-step";
  public static final String ROLLBACK = "rollback";
}
