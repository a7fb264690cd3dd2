package dev.sluice.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One named value of a request (a header, query parameter or cookie) and exactly one way to match
 * it.
 *
 * @param name the header, parameter or cookie name
 * @param exact the value equals this
 * @param prefix the value starts with this
 * @param regex the whole value matches this RE2 regular expression (Envoy's dialect)
 * @param present {@code true}: the value is there, whatever it is
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "exact", "prefix", "regex", "present"})
public record ValueMatch(@Required String name, String exact, String prefix, String regex, Boolean present) {

  /** How a value is compared. */
  public enum Kind {
    EXACT,
    PREFIX,
    REGEX,
    PRESENT
  }

  /** The one way this match compares, or null when the document sets none or several. */
  public Kind kind() {
    int set = (exact != null ? 1 : 0) + (prefix != null ? 1 : 0) + (regex != null ? 1 : 0) + (present != null ? 1 : 0);
    if (set != 1) {
      return null;
    }
    if (exact != null) {
      return Kind.EXACT;
    }
    if (prefix != null) {
      return Kind.PREFIX;
    }
    return regex != null ? Kind.REGEX : Kind.PRESENT;
  }

  public static ValueMatch exact(String name, String value) {
    return new ValueMatch(name, value, null, null, null);
  }
}
