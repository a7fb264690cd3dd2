package dev.sluice.translate;

import dev.sluice.model.RuleMatch;
import dev.sluice.model.ValueMatch;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;

/**
 * A rule's conditions as an Envoy RouteMatch. Headers and query parameters map one to one; cookies
 * have no matcher of their own in Envoy, so each becomes an RE2 match on the {@code cookie} header
 * that finds the cookie among the others.
 */
final class MatchTranslator {
  static final String COOKIE_HEADER = "cookie";

  private MatchTranslator() {}

  static RouteMatch of(RuleMatch match) {
    RouteMatch.Builder routeMatch = RouteMatch.newBuilder().setPrefix("/");
    for (ValueMatch header : match.effectiveHeaders()) {
      routeMatch.addHeaders(header(header));
    }
    for (ValueMatch param : match.effectiveQueryParams()) {
      routeMatch.addQueryParameters(queryParameter(param));
    }
    for (ValueMatch cookie : match.effectiveCookies()) {
      routeMatch.addHeaders(
          HeaderMatcher.newBuilder().setName(COOKIE_HEADER).setStringMatch(regex(cookieRegex(cookie))));
    }
    return routeMatch.build();
  }

  private static HeaderMatcher header(ValueMatch m) {
    HeaderMatcher.Builder header = HeaderMatcher.newBuilder().setName(m.name());
    return switch (m.kind()) {
      case PRESENT -> header.setPresentMatch(true).build();
      default -> header.setStringMatch(string(m)).build();
    };
  }

  private static QueryParameterMatcher queryParameter(ValueMatch m) {
    QueryParameterMatcher.Builder param = QueryParameterMatcher.newBuilder().setName(m.name());
    return switch (m.kind()) {
      case PRESENT -> param.setPresentMatch(true).build();
      default -> param.setStringMatch(string(m)).build();
    };
  }

  private static StringMatcher string(ValueMatch m) {
    return switch (m.kind()) {
      case EXACT -> StringMatcher.newBuilder().setExact(m.exact()).build();
      case PREFIX -> StringMatcher.newBuilder().setPrefix(m.prefix()).build();
      // Grouped, so that a top-level alternation stays whole where a client anchors the pattern
      // itself: grpc-js matches ^pattern$, which would read a|b as "^a or b$".
      case REGEX -> regex("(?:" + m.regex() + ")");
      case PRESENT -> throw new IllegalArgumentException("present has no string matcher");
    };
  }

  private static StringMatcher regex(String regex) {
    return StringMatcher.newBuilder().setSafeRegex(RegexMatcher.newBuilder().setRegex(regex)).build();
  }

  /**
   * An RE2 pattern over the whole {@code cookie} header: the cookie starts the header or follows
   * {@code ;} and spaces, and its value runs to the next {@code ;} or the end.
   */
  static String cookieRegex(ValueMatch cookie) {
    String start = "(^|.*;\\s*)" + quote(cookie.name()) + "=";
    return switch (cookie.kind()) {
      case EXACT -> start + quote(cookie.exact()) + "(;.*)?";
      case PREFIX -> start + quote(cookie.prefix()) + "[^;]*(;.*)?";
      case REGEX -> start + "(" + cookie.regex() + ")(;.*)?";
      case PRESENT -> start + ".*";
    };
  }

  /** Escapes every RE2 metacharacter. */
  static String quote(String literal) {
    StringBuilder sb = new StringBuilder();
    for (char c : literal.toCharArray()) {
      if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.toString();
  }
}
