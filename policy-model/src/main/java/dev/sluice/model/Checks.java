package dev.sluice.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Collects the errors of one document; each check names the field path it reports. */
final class Checks {
  /** FractionalPercent with a MILLION denominator carries four decimals of a percent. */
  static final int PERCENT_DECIMALS = 4;

  private static final Pattern HEADER_NAME = Pattern.compile("[a-z0-9!#$%&'*+.^_`|~-]+");
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");

  private final List<FieldError> errors = new ArrayList<>();

  void add(String path, String message) {
    errors.add(new FieldError(path, message));
  }

  List<FieldError> errors() {
    return List.copyOf(errors);
  }

  boolean required(String path, Object value) {
    if (value == null) {
      add(path, "is required");
      return false;
    }
    return true;
  }

  /** An optional duration that, when given, is in Go form and greater than zero. */
  Optional<Duration> duration(String path, String value) {
    if (value == null) {
      return Optional.empty();
    }
    Optional<Duration> parsed = Durations.parse(value);
    if (parsed.isEmpty()) {
      add(path, "'" + value + "' is not a duration such as 500ms, 2s, 1m or 24h");
    } else if (parsed.get().isZero()) {
      add(path, "must be greater than zero");
      return Optional.empty();
    }
    return parsed;
  }

  Optional<Duration> requiredDuration(String path, String value) {
    return required(path, value) ? duration(path, value) : Optional.empty();
  }

  /** A percent 0..100 with at most four decimals (Envoy's FractionalPercent per million). */
  void percent(String path, Double value, boolean required) {
    if (value == null) {
      if (required) {
        add(path, "is required");
      }
      return;
    }
    if (value < 0 || value > 100) {
      add(path, "must be between 0 and 100, was " + value);
      return;
    }
    double scaled = value * Math.pow(10, PERCENT_DECIMALS);
    if (Math.abs(scaled - Math.rint(scaled)) > 1e-6) {
      add(path, "has more than " + PERCENT_DECIMALS + " decimals: " + value);
    }
  }

  void range(String path, Integer value, long min, long max, boolean required) {
    if (value == null) {
      if (required) {
        add(path, "is required");
      }
      return;
    }
    if (value < min || value > max) {
      add(path, "must be between " + min + " and " + max + ", was " + value);
    }
  }

  void atLeast(String path, Integer value, long min) {
    if (value != null && value < min) {
      add(path, "must be at least " + min + ", was " + value);
    }
  }

  /** A lower-case HTTP header name (HTTP/2 and gRPC carry header names in lower case only). */
  void headerName(String path, String name) {
    if (name == null || name.isEmpty()) {
      add(path, "is required");
    } else if (!HEADER_NAME.matcher(name).matches()) {
      add(path, "'" + name + "' is not a lower-case HTTP header name (letters, digits and !#$%&'*+-.^_`|~)");
    }
  }

  /** A cookie name: an HTTP token. */
  void cookieName(String path, String name) {
    if (name == null || name.isEmpty()) {
      add(path, "is required");
    } else if (!TOKEN.matcher(name).matches()) {
      add(path, "'" + name + "' is not a cookie name (letters, digits and !#$%&'*+-.^_`|~)");
    }
  }

  /** A value that fits in an HTTP header or query string: no control characters. */
  void printable(String path, String value) {
    if (value != null && value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      add(path, "must not contain control characters");
    }
  }
}
