package dev.sluice.translate.check;

import com.google.protobuf.ByteString;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.envoyproxy.pgv.validate.Validate.StringRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * StringRules. Lengths in characters count Unicode code points (PGV counts runes); lengths in
 * bytes count UTF-8. Patterns are RE2, as in PGV, matched with re2j: linear time whatever the
 * input, which matters when the input comes from users.
 */
final class StringChecks {
  private StringChecks() {}

  static Rule compile(StringRules r, String family) {
    List<Rule> checks = new ArrayList<>();
    if (r.hasConst()) {
      checks.add(rule(family + ".const", "must equal " + Show.quote(r.getConst()), s -> s.equals(r.getConst())));
    }
    if (r.getInCount() > 0) {
      Set<String> in = Set.copyOf(r.getInList());
      checks.add(rule(family + ".in", "must be one of " + Show.list(r.getInList(), Show::quote), in::contains));
    }
    if (r.getNotInCount() > 0) {
      Set<String> notIn = Set.copyOf(r.getNotInList());
      checks.add(rule(family + ".not_in", "must not be one of " + Show.list(r.getNotInList(), Show::quote),
          s -> !notIn.contains(s)));
    }
    if (r.hasLen()) {
      checks.add(rule(family + ".len", "must be exactly " + r.getLen() + " characters",
          s -> characters(s) == r.getLen()));
    }
    if (r.hasMinLen()) {
      checks.add(rule(family + ".min_len", "must be at least " + r.getMinLen() + " characters",
          s -> Long.compareUnsigned(characters(s), r.getMinLen()) >= 0));
    }
    if (r.hasMaxLen()) {
      checks.add(rule(family + ".max_len", "must be at most " + r.getMaxLen() + " characters",
          s -> Long.compareUnsigned(characters(s), r.getMaxLen()) <= 0));
    }
    if (r.hasLenBytes()) {
      checks.add(rule(family + ".len_bytes", "must be exactly " + r.getLenBytes() + " bytes",
          s -> utf8Length(s) == r.getLenBytes()));
    }
    if (r.hasMinBytes()) {
      checks.add(rule(family + ".min_bytes", "must be at least " + r.getMinBytes() + " bytes",
          s -> Long.compareUnsigned(utf8Length(s), r.getMinBytes()) >= 0));
    }
    if (r.hasMaxBytes()) {
      checks.add(rule(family + ".max_bytes", "must be at most " + r.getMaxBytes() + " bytes",
          s -> Long.compareUnsigned(utf8Length(s), r.getMaxBytes()) <= 0));
    }
    if (r.hasPrefix()) {
      checks.add(rule(family + ".prefix", "must start with " + Show.quote(r.getPrefix()),
          s -> s.startsWith(r.getPrefix())));
    }
    if (r.hasSuffix()) {
      checks.add(rule(family + ".suffix", "must end with " + Show.quote(r.getSuffix()),
          s -> s.endsWith(r.getSuffix())));
    }
    if (r.hasContains()) {
      checks.add(rule(family + ".contains", "must contain " + Show.quote(r.getContains()),
          s -> s.contains(r.getContains())));
    }
    if (r.hasNotContains()) {
      checks.add(rule(family + ".not_contains", "must not contain " + Show.quote(r.getNotContains()),
          s -> !s.contains(r.getNotContains())));
    }
    checks.add(WellKnownStrings.compile(r, family));
    if (r.hasPattern()) {
      checks.add(pattern(r.getPattern(), family + ".pattern"));
    }
    Rule all = Rule.firstOf(checks);
    return r.getIgnoreEmpty() ? all.unless(v -> ((String) v).isEmpty()) : all;
  }

  /**
   * A pattern rule for strings or bytes (matched as UTF-8, as RE2 does); a pattern RE2 rejects
   * fails every value rather than being dropped.
   */
  static Rule pattern(String regex, String name) {
    try {
      Pattern pattern = Pattern.compile(regex);
      return Rule.of(name, "must match the pattern " + Show.quote(regex),
          v -> v instanceof String s
              ? pattern.matcher(s).find() : pattern.matcher(((ByteString) v).toByteArray()).find());
    } catch (PatternSyntaxException e) {
      return Rule.always(name, "has a pattern RE2 cannot compile: " + e.getMessage());
    }
  }

  static Rule rule(String name, String text, Predicate<String> passes) {
    return Rule.of(name, text, v -> passes.test((String) v));
  }

  static long characters(String s) {
    return s.codePointCount(0, s.length());
  }

  /** The UTF-8 length without encoding; an unpaired surrogate counts as the 3 bytes it would take. */
  static long utf8Length(String s) {
    long bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
