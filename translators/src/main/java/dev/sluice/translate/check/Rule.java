package dev.sluice.translate.check;

import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One compiled PGV rule applied to one value. Rules are built once per field descriptor with their
 * failure text composed up front, so checking a value that passes builds no strings.
 */
@FunctionalInterface
interface Rule {
  /** A rule that every value passes. */
  Rule NONE = value -> null;

  /** Null when the value passes; otherwise what is wrong, ending with the rule name in parentheses. */
  String failure(Object value);

  /** A rule failing with {@code text (name)} whenever {@code passes} is false. */
  static Rule of(String name, String text, Predicate<Object> passes) {
    String failure = text + " (" + name + ")";
    return value -> passes.test(value) ? null : failure;
  }

  /** A rule that fails every value: for options that cannot be evaluated, so they are not lost. */
  static Rule always(String name, String text) {
    return of(name, text, value -> false);
  }

  /** The first failure among {@code rules}, in order: like PGV, one message per value. */
  static Rule firstOf(List<Rule> rules) {
    List<Rule> real = rules.stream().filter(r -> r != NONE).toList();
    if (real.isEmpty()) {
      return NONE;
    }
    if (real.size() == 1) {
      return real.get(0);
    }
    return value -> {
      for (Rule rule : real) {
        String failure = rule.failure(value);
        if (failure != null) {
          return failure;
        }
      }
      return null;
    };
  }

  /** This rule, skipped for values that {@code empty} accepts ({@code ignore_empty}). */
  default Rule unless(Predicate<Object> empty) {
    return this == NONE ? NONE : value -> empty.test(value) ? null : failure(value);
  }

  /** This rule applied to a part of the value, such as the {@code value} inside a wrapper. */
  default Rule on(Function<Object, Object> part) {
    return this == NONE ? NONE : value -> failure(part.apply(value));
  }
}
