package dev.sluice.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Keeps the weighted choice of version stable per user, across requests and across proxies: the
 * choice is a hash of the user's key instead of a random draw. Exactly one of the two is set.
 *
 * @param header the request header that carries the user's id (lower case)
 * @param cookie a cookie set on the first response and honoured afterwards
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"header", "cookie"})
public record Sticky(String header, StickyCookie cookie) {

  /**
   * The cookie that pins a user.
   *
   * @param name the cookie's name
   * @param ttl how long the cookie lives, in Go duration form; a session cookie when omitted
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"name", "ttl"})
  public record StickyCookie(@Required String name, String ttl) {}
}
