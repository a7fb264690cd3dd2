package dev.sluice.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.model.ModelRouteCodec.Format;
import dev.sluice.model.ModelRouteCodec.Parsed;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An unknown field is named by its own path, once, at every level of the document, whatever its
 * value (scalar, object, list) and wherever it stands among its siblings, in JSON and in YAML.
 */
class UnknownFieldPathTest {
  /** A document with every object of the model, and a place marker {@code @} for the unknown field. */
  private static final String DOCUMENT = """
      {@0 "apiVersion": "sluice.dev/v1alpha1", "kind": "ModelRoute",
       "metadata": {@1 "name": "r", "namespace": "ml", "labels": {"team": "risk"}},
       "spec": {@2 "hosts": ["r.ml"], "port": 8080,
         "versions": [{@3 "name": "v1", "weight": 100, "endpoints": ["10.0.0.1:80"]}],
         "rules": [{@4 "name": "beta", "match": {@5 "headers": [{@6 "name": "x", "exact": "b"}],
                    "queryParams": [{@7 "name": "q", "prefix": "p"}], "cookies": [{@8 "name": "c", "regex": "z"}]},
                    "version": "v1"}],
         "sticky": {@9 "cookie": {@10 "name": "s", "ttl": "1h"}},
         "mirror": {@11 "version": "v1", "percent": 5},
         "timeout": "2s",
         "retries": {@12 "attempts": 2, "backoff": {@13 "base": "10ms"}, "budget": {@14 "percent": 20}},
         "circuitBreaker": {@15 "maxRequests": 10},
         "outlierDetection": {@16 "consecutive5xx": 5},
         "fault": {@17 "delay": {@18 "percent": 1, "duration": "1s"}, "abort": {@19 "percent": 1, "httpStatus": 503}},
         "tls": {@20 "mode": "MUTUAL"},
         "tracing": {@21 "samplingPercent": 1}}}
      """;

  static Stream<Arguments> places() {
    String[] paths = {"", "metadata.", "spec.", "spec.versions[0].", "spec.rules[0].", "spec.rules[0].match.",
        "spec.rules[0].match.headers[0].", "spec.rules[0].match.queryParams[0].", "spec.rules[0].match.cookies[0].",
        "spec.sticky.", "spec.sticky.cookie.", "spec.mirror.", "spec.retries.", "spec.retries.backoff.",
        "spec.retries.budget.", "spec.circuitBreaker.", "spec.outlierDetection.", "spec.fault.",
        "spec.fault.delay.", "spec.fault.abort.", "spec.tls.", "spec.tracing."};
    String[] values = {"1", "\"text\"", "{\"deep\": {\"deeper\": 1}}", "[1, {\"x\": 2}]", "null"};
    Stream.Builder<Arguments> all = Stream.builder();
    for (int place = 0; place < paths.length; place++) {
      for (String value : values) {
        all.add(Arguments.of(place, paths[place] + "foo", value));
      }
    }
    return all.build();
  }

  @ParameterizedTest(name = "{1} = {2}")
  @MethodSource("places")
  void unknownField_isNamedByItsPathOnce_firstAmongItsSiblings(int place, String path, String value) {
    String json = DOCUMENT.replace("@" + place + " ", "\"foo\": " + value + ", ").replaceAll("@\\d+ ", "");
    assertOnlyError(json, path);
  }

  @ParameterizedTest(name = "{1} = {2}")
  @MethodSource("places")
  void unknownField_isNamedByItsPathOnce_lastAmongItsSiblings(int place, String path, String value) {
    // The marker stands first in its object; move the field to the end by closing it there instead.
    String json = DOCUMENT.replaceAll("@\\d+ ", "");
    int open = nthObjectOpening(DOCUMENT, place);
    int close = matchingBrace(json, open - offsetBefore(DOCUMENT, place));
    json = json.substring(0, close) + ", \"foo\": " + value + json.substring(close);
    assertOnlyError(json, path);
  }

  @ParameterizedTest(name = "{1} (YAML)")
  @MethodSource("places")
  void unknownField_inYaml_isNamedByItsPathOnce(int place, String path, String value) {
    String json = DOCUMENT.replace("@" + place + " ", "\"foo\": " + value + ", ").replaceAll("@\\d+ ", "");
    // JSON is YAML: the YAML reader must give the same path.
    Parsed parsed = ModelRouteCodec.parse(json, Format.YAML);
    assertThat(parsed.errors()).extracting(FieldError::field).containsExactly(path);
  }

  private static void assertOnlyError(String json, String path) {
    Parsed parsed = ModelRouteCodec.parse(json, Format.JSON);
    assertThat(parsed.errors()).as("errors of%n%s", json).extracting(FieldError::field).containsExactly(path);
    assertThat(parsed.errors().get(0).message()).isEqualTo("is not a known field");
  }

  /** Index in {@code doc} of the marker {@code @place}. */
  private static int nthObjectOpening(String doc, int place) {
    return doc.indexOf("@" + place + " ");
  }

  /** Characters of markers removed before the marker {@code @place}. */
  private static int offsetBefore(String doc, int place) {
    String before = doc.substring(0, nthObjectOpening(doc, place));
    return before.length() - before.replaceAll("@\\d+ ", "").length();
  }

  /** The index of the brace closing the object whose first member starts at {@code from}. */
  private static int matchingBrace(String json, int from) {
    int depth = 0;
    for (int i = from; i < json.length(); i++) {
      char c = json.charAt(i);
      if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        if (depth == 0) {
          return i;
        }
        depth--;
      }
    }
    throw new IllegalArgumentException("unbalanced");
  }
}
