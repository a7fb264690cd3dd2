package dev.sluice.translate.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.pgv.validate.Validate.KnownRegex;
import io.envoyproxy.pgv.validate.Validate.StringRules;
import org.junit.jupiter.api.Test;

/** StringRules, compiled directly: Envoy's protos use few of them, other protos may use all. */
class StringChecksTest {

  static String failure(StringRules.Builder rules, String value) {
    return StringChecks.compile(rules.build(), "string").failure(value);
  }

  @Test
  void lengthsInCharacters_countCodePoints_andLengthsInBytes_countUtf8() {
    String fourChars = "ü🙂ab"; // 2 + 4 + 1 + 1 = 8 UTF-8 bytes, 5 UTF-16 units

    assertThat(failure(StringRules.newBuilder().setLen(4), fourChars)).isNull();
    assertThat(failure(StringRules.newBuilder().setMaxLen(3), fourChars))
        .isEqualTo("must be at most 3 characters (string.max_len)");
    assertThat(failure(StringRules.newBuilder().setMinLen(5), fourChars))
        .isEqualTo("must be at least 5 characters (string.min_len)");
    assertThat(failure(StringRules.newBuilder().setLenBytes(8), fourChars)).isNull();
    assertThat(failure(StringRules.newBuilder().setMaxBytes(7), fourChars))
        .isEqualTo("must be at most 7 bytes (string.max_bytes)");
    assertThat(failure(StringRules.newBuilder().setMinBytes(9), fourChars))
        .isEqualTo("must be at least 9 bytes (string.min_bytes)");
  }

  @Test
  void constInAndNotIn() {
    assertThat(failure(StringRules.newBuilder().setConst("a"), "b")).isEqualTo("must equal \"a\" (string.const)");
    assertThat(failure(StringRules.newBuilder().addIn("GET").addIn("POST"), "PUT"))
        .isEqualTo("must be one of [\"GET\", \"POST\"] (string.in)");
    assertThat(failure(StringRules.newBuilder().addNotIn("host"), "host"))
        .isEqualTo("must not be one of [\"host\"] (string.not_in)");
  }

  @Test
  void affixesAndSubstrings() {
    assertThat(failure(StringRules.newBuilder().setPrefix("/"), "api"))
        .isEqualTo("must start with \"/\" (string.prefix)");
    assertThat(failure(StringRules.newBuilder().setSuffix(".mmdb"), "db"))
        .isEqualTo("must end with \".mmdb\" (string.suffix)");
    assertThat(failure(StringRules.newBuilder().setContains("@"), "x"))
        .isEqualTo("must contain \"@\" (string.contains)");
    assertThat(failure(StringRules.newBuilder().setNotContains("\n"), "a\nb"))
        .isEqualTo("must not contain \"\\n\" (string.not_contains)");
  }

  @Test
  void patterns_areRe2_searchedNotAnchored_andAnUncompilablePatternFailsLoudly() {
    StringRules.Builder pathPrefix = StringRules.newBuilder().setPattern("^[^?#]+[^?#/]$");
    assertThat(failure(pathPrefix, "/api/v1")).isNull();
    assertThat(failure(pathPrefix, "/api/")).isEqualTo("must match the pattern \"^[^?#]+[^?#/]$\" (string.pattern)");
    assertThat(failure(StringRules.newBuilder().setPattern("\\p{Greek}"), "x α y")).isNull();
    assertThat(failure(StringRules.newBuilder().setPattern("(a)\\1"), "aa"))
        .startsWith("has a pattern RE2 cannot compile");
  }

  @Test
  void headerNames_strictFollowRfc7230Tokens_lenientOnlyForbidNulCrLf() {
    StringRules.Builder strict = StringRules.newBuilder().setWellKnownRegex(KnownRegex.HTTP_HEADER_NAME);
    StringRules.Builder lenient = strict.clone().setStrict(false);

    assertThat(failure(strict, "x-model-version")).isNull();
    assertThat(failure(strict, ":authority")).isNull();
    assertThat(failure(strict, "x model")).isEqualTo("must be a valid HTTP header name (string.well_known_regex)");
    assertThat(failure(strict, "")).isNotNull();
    assertThat(failure(lenient, "x model")).isNull();
    assertThat(failure(lenient, "x\rmodel")).isEqualTo("must not contain NUL, CR or LF (string.well_known_regex)");
  }

  @Test
  void headerValues_strictForbidControlCharactersButTab() {
    StringRules.Builder strict = StringRules.newBuilder().setWellKnownRegex(KnownRegex.HTTP_HEADER_VALUE);

    assertThat(failure(strict, "a\tb ü")).isNull();
    assertThat(failure(strict, "a\u0001b")).isEqualTo("must be a valid HTTP header value (string.well_known_regex)");
    assertThat(failure(strict.clone().setStrict(false), "a\u0001b")).isNull();
  }

  @Test
  void ignoreEmpty_skipsEveryRuleForTheEmptyString() {
    StringRules.Builder rules = StringRules.newBuilder().setMinLen(3).setIgnoreEmpty(true);

    assertThat(failure(rules, "")).isNull();
    assertThat(failure(rules, "ab")).isEqualTo("must be at least 3 characters (string.min_len)");
  }

  @Test
  void wellKnownFormats() {
    assertThat(failure(StringRules.newBuilder().setHostname(true), "api.example.com.")).isNull();
    assertThat(failure(StringRules.newBuilder().setHostname(true), "-bad.example"))
        .isEqualTo("must be a valid hostname (string.hostname)");
    assertThat(failure(StringRules.newBuilder().setEmail(true), "ops@example.com")).isNull();
    assertThat(failure(StringRules.newBuilder().setEmail(true), "ops@@example")).isNotNull();
    assertThat(failure(StringRules.newBuilder().setIpv4(true), "10.0.0.1")).isNull();
    assertThat(failure(StringRules.newBuilder().setIpv4(true), "10.0.0.256")).isNotNull();
    assertThat(failure(StringRules.newBuilder().setIpv4(true), "010.0.0.1")).isNotNull();
    assertThat(failure(StringRules.newBuilder().setIpv6(true), "fe80::1")).isNull();
    assertThat(failure(StringRules.newBuilder().setIpv6(true), "::ffff:10.0.0.1")).isNull();
    assertThat(failure(StringRules.newBuilder().setIpv6(true), "1::2::3")).isNotNull();
    assertThat(failure(StringRules.newBuilder().setIpv6(true), "1:2:3:4:5:6:7:8:9")).isNotNull();
    assertThat(failure(StringRules.newBuilder().setIp(true), "10.0.0.1")).isNull();
    assertThat(failure(StringRules.newBuilder().setIp(true), "example.com"))
        .isEqualTo("must be a valid IP address (string.ip)");
    assertThat(failure(StringRules.newBuilder().setAddress(true), "example.com")).isNull();
    assertThat(failure(StringRules.newBuilder().setUri(true), "https://example.com/a")).isNull();
    assertThat(failure(StringRules.newBuilder().setUri(true), "/relative"))
        .isEqualTo("must be a valid absolute URI (string.uri)");
    assertThat(failure(StringRules.newBuilder().setUriRef(true), "/relative")).isNull();
    assertThat(failure(StringRules.newBuilder().setUuid(true), "123e4567-e89b-12d3-a456-426614174000")).isNull();
    assertThat(failure(StringRules.newBuilder().setUuid(true), "123e4567"))
        .isEqualTo("must be a valid UUID (string.uuid)");
  }
}
