package dev.sluice.model;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Validation of where requests go: rules, stickiness and mirroring. */
final class RoutingChecks {
  private RoutingChecks() {}

  static void rules(List<TrafficRule> rules, Set<String> versions, Checks checks) {
    if (rules == null) {
      return;
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < rules.size(); i++) {
      String path = "spec.rules[" + i + "]";
      TrafficRule rule = rules.get(i);
      if (rule == null) {
        checks.add(path, "must not be null");
        continue;
      }
      if (rule.name() == null || rule.name().isEmpty()) {
        checks.add(path + ".name", "is required");
      } else if (!NameRules.isDns1123Label(rule.name())) {
        checks.add(path + ".name", "'" + rule.name() + "' is not a DNS-1123 label");
      } else if (!names.add(rule.name())) {
        checks.add(path + ".name", "'" + rule.name() + "' is used by another rule");
      }
      match(path + ".match", rule.match(), checks);
      target(path, rule, versions, checks);
    }
  }

  private static void match(String path, RuleMatch match, Checks checks) {
    if (match == null) {
      checks.add(path, "is required");
      return;
    }
    int conditions = match.effectiveHeaders().size() + match.effectiveQueryParams().size()
        + match.effectiveCookies().size();
    if (conditions == 0) {
      checks.add(path, "must hold at least one header, query parameter or cookie condition");
    }
    values(path + ".headers", match.headers(), Field.HEADER, checks);
    values(path + ".queryParams", match.queryParams(), Field.QUERY_PARAM, checks);
    values(path + ".cookies", match.cookies(), Field.COOKIE, checks);
  }

  private enum Field {
    HEADER,
    QUERY_PARAM,
    COOKIE
  }

  private static void values(String path, List<ValueMatch> matches, Field field, Checks checks) {
    if (matches == null) {
      return;
    }
    for (int i = 0; i < matches.size(); i++) {
      String at = path + "[" + i + "]";
      ValueMatch m = matches.get(i);
      if (m == null) {
        checks.add(at, "must not be null");
        continue;
      }
      switch (field) {
        case HEADER -> checks.headerName(at + ".name", m.name());
        case COOKIE -> checks.cookieName(at + ".name", m.name());
        case QUERY_PARAM -> queryParamName(at + ".name", m.name(), checks);
      }
      value(at, m, checks);
    }
  }

  private static void queryParamName(String path, String name, Checks checks) {
    if (name == null || name.isEmpty()) {
      checks.add(path, "is required");
    } else if (name.chars().anyMatch(c -> c <= 0x20 || c == 0x7f || c == '&' || c == '=' || c == '#')) {
      checks.add(path, "'" + name + "' is not a query parameter name (no spaces, '&', '=' or '#')");
    }
  }

  private static void value(String path, ValueMatch m, Checks checks) {
    if (m.kind() == null) {
      checks.add(path, "must set exactly one of exact, prefix, regex or present");
      return;
    }
    switch (m.kind()) {
      case EXACT -> checks.printable(path + ".exact", m.exact());
      case PREFIX -> {
        if (m.prefix().isEmpty()) {
          checks.add(path + ".prefix", "must not be empty (use present: true to match any value)");
        }
        checks.printable(path + ".prefix", m.prefix());
      }
      case REGEX -> regex(path + ".regex", m.regex(), checks);
      case PRESENT -> {
        if (!m.present()) {
          checks.add(path + ".present", "must be true when given (a rule matches what a request carries)");
        }
      }
    }
  }

  /** Envoy compiles safe_regex with RE2: no backreferences, no lookaround. RE2/J has that dialect. */
  private static void regex(String path, String regex, Checks checks) {
    if (regex.isEmpty()) {
      checks.add(path, "must not be empty");
      return;
    }
    try {
      Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      checks.add(path, "is not an RE2 regular expression: " + e.getDescription() + " in '" + regex + "'");
    }
  }

  private static void target(String path, TrafficRule rule, Set<String> versions, Checks checks) {
    if ((rule.version() == null) == (rule.weights() == null)) {
      checks.add(path, "must set exactly one of version or weights");
      return;
    }
    if (rule.version() != null) {
      declared(path + ".version", rule.version(), versions, checks);
      return;
    }
    if (rule.weights().isEmpty()) {
      checks.add(path + ".weights", "must give at least one version a weight");
      return;
    }
    int sum = 0;
    boolean allValid = true;
    for (Map.Entry<String, Integer> weight : rule.weights().entrySet()) {
      String at = path + ".weights[" + weight.getKey() + "]";
      declared(at, weight.getKey(), versions, checks);
      if (weight.getValue() == null || weight.getValue() < 0 || weight.getValue() > 100) {
        checks.add(at, "must be between 0 and 100, was " + weight.getValue());
        allValid = false;
      } else {
        sum += weight.getValue();
      }
    }
    if (allValid && sum != 100) {
      checks.add(path + ".weights", "must sum to 100, they sum to " + sum);
    }
  }

  private static void declared(String path, String version, Set<String> versions, Checks checks) {
    if (!versions.contains(version)) {
      checks.add(path, "'" + version + "' is not a version of this route; declared: " + String.join(", ",
          versions.stream().sorted().toList()));
    }
  }

  static void sticky(Sticky sticky, Checks checks) {
    if (sticky == null) {
      return;
    }
    if ((sticky.header() == null) == (sticky.cookie() == null)) {
      checks.add("spec.sticky", "must set exactly one of header or cookie");
      return;
    }
    if (sticky.header() != null) {
      checks.headerName("spec.sticky.header", sticky.header());
    } else {
      checks.cookieName("spec.sticky.cookie.name", sticky.cookie().name());
      checks.duration("spec.sticky.cookie.ttl", sticky.cookie().ttl());
    }
  }

  static void mirror(Mirror mirror, Set<String> versions, Checks checks) {
    if (mirror == null) {
      return;
    }
    if (checks.required("spec.mirror.version", mirror.version())) {
      declared("spec.mirror.version", mirror.version(), versions, checks);
    }
    checks.percent("spec.mirror.percent", mirror.percent(), true);
  }
}
