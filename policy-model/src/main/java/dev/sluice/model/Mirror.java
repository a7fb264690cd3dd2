package dev.sluice.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Shadow traffic: a copy of a share of requests goes to a version whose responses nobody sees.
 *
 * @param version the version that receives the copies; one of {@code spec.versions}
 * @param percent the share of requests copied, 0..100, up to four decimals
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"version", "percent"})
public record Mirror(@Required String version, @Required Double percent) {}
