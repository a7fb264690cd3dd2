package dev.sluice.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The conditions of a rule; all must hold.
 *
 * @param headers request headers (names are case-insensitive and written in lower case)
 * @param queryParams query parameters of the request's path
 * @param cookies cookies of the request's {@code cookie} header
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"headers", "queryParams", "cookies"})
public record RuleMatch(List<ValueMatch> headers, List<ValueMatch> queryParams, List<ValueMatch> cookies) {

  public RuleMatch {
    headers = Lists.copyOrNull(headers);
    queryParams = Lists.copyOrNull(queryParams);
    cookies = Lists.copyOrNull(cookies);
  }

  public List<ValueMatch> effectiveHeaders() {
    return headers == null ? List.of() : headers;
  }

  public List<ValueMatch> effectiveQueryParams() {
    return queryParams == null ? List.of() : queryParams;
  }

  public List<ValueMatch> effectiveCookies() {
    return cookies == null ? List.of() : cookies;
  }
}
