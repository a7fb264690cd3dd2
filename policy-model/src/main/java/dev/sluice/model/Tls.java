package dev.sluice.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Transport security between callers and the servers of a route's versions. Identities are SPIFFE
 * IDs: each version's servers present the one of their service account
 * ({@link ModelVersion#effectiveServiceAccount(String)}).
 *
 * @param mode {@code MUTUAL}, {@code PERMISSIVE} or {@code DISABLED}; required when {@code tls} is
 *     given
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"mode"})
public record Tls(@Required TlsMode mode) {}
