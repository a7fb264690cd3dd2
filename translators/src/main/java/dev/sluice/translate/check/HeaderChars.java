package dev.sluice.translate.check;

import io.envoyproxy.pgv.validate.Validate.KnownRegex;

/**
 * {@code well_known_regex: HTTP_HEADER_NAME | HTTP_HEADER_VALUE}, written as character tests
 * instead of PGV's regular expressions. 114 Envoy fields use them, mostly with {@code strict:
 * false}, which only forbids the characters that would split a header line: NUL, CR and LF.
 */
final class HeaderChars {
  /**
   * RFC 7230 token characters besides letters and digits. PGV's class {@code [...*+-.^...]} spells
   * "+-." as a range, which also admits ','; Envoy accepts it, so this does too.
   */
  private static final String TOKEN_SYMBOLS = "!#$%&'*+,-.^_`|~";

  private HeaderChars() {}

  static Rule compile(KnownRegex kind, boolean strict, String name) {
    if (!strict && kind != KnownRegex.UNKNOWN) {
      return StringChecks.rule(name, "must not contain NUL, CR or LF", HeaderChars::isLenient);
    }
    return switch (kind) {
      case HTTP_HEADER_NAME -> StringChecks.rule(name, "must be a valid HTTP header name", HeaderChars::isName);
      case HTTP_HEADER_VALUE ->
          StringChecks.rule(name, "must be a valid HTTP header value", HeaderChars::isValue);
      default -> Rule.NONE;
    };
  }

  /** An optional ':' (pseudo-headers) and then one or more token characters. */
  static boolean isName(String s) {
    int start = s.startsWith(":") ? 1 : 0;
    if (s.length() == start) {
      return false;
    }
    for (int i = start; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alnum && TOKEN_SYMBOLS.indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }

  /** No control characters except horizontal tab. */
  static boolean isValue(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        return false;
      }
    }
    return true;
  }

  static boolean isLenient(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\0' || c == '\r' || c == '\n') {
        return false;
      }
    }
    return true;
  }
}
