package dev.sluice.translate.check;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * const, lt, lte, gt, gte, in and not_in for every number type, Duration and Timestamp.
 *
 * <p>The twelve number rule messages, DurationRules and TimestampRules name these fields alike,
 * so they are read by name from whichever message the option holds and compared through an
 * {@link Order}. Lower and upper bounds together follow PGV: when the upper bound is above the
 * lower one the value must lie inside the range, otherwise (for example {@code gt: 10, lt: 5}) it
 * must lie outside the range between them.
 */
final class NumberChecks {
  private NumberChecks() {}

  /** The rules in {@code rules} (for example a UInt32Rules) for a value ordered by {@code order}. */
  static Rule compile(Message rules, String family, Order order) {
    List<Rule> checks = new ArrayList<>();
    Object exact = value(rules, "const");
    if (exact != null) {
      checks.add(Rule.of(family + ".const", "must equal " + order.print(exact), v -> order.same(v, exact)));
    }
    checks.add(range(rules, family, order));
    List<?> in = values(rules, "in");
    if (!in.isEmpty()) {
      checks.add(Rule.of(family + ".in", "must be one of " + Show.list(in, order::print),
          v -> in.stream().anyMatch(x -> order.same(v, x))));
    }
    List<?> notIn = values(rules, "not_in");
    if (!notIn.isEmpty()) {
      checks.add(Rule.of(family + ".not_in", "must not be one of " + Show.list(notIn, order::print),
          v -> notIn.stream().noneMatch(x -> order.same(v, x))));
    }
    Rule all = Rule.firstOf(checks);
    return Boolean.TRUE.equals(value(rules, "ignore_empty")) ? all.unless(order.zero()) : all;
  }

  private static Rule range(Message rules, String family, Order order) {
    Object lt = value(rules, "lt");
    Object upper = lt != null ? lt : value(rules, "lte");
    boolean upperOpen = lt != null;
    Object gt = value(rules, "gt");
    Object lower = gt != null ? gt : value(rules, "gte");
    boolean lowerOpen = gt != null;
    if (upper == null && lower == null) {
      return Rule.NONE;
    }
    String upperName = family + (upperOpen ? ".lt" : ".lte");
    String lowerName = family + (lowerOpen ? ".gt" : ".gte");
    Bound below = new Bound(order, upper, upperOpen, true);
    Bound above = new Bound(order, lower, lowerOpen, false);
    if (lower == null) {
      return Rule.of(upperName, "must be less than " + (upperOpen ? "" : "or equal to ") + order.print(upper),
          below::holds);
    }
    if (upper == null) {
      return Rule.of(lowerName, "must be greater than " + (lowerOpen ? "" : "or equal to ") + order.print(lower),
          above::holds);
    }
    String names = lowerName + ", " + upperName;
    if (order.compare(upper, lower) > 0) {
      String text = "must be inside range " + (lowerOpen ? "(" : "[") + order.print(lower) + ", "
          + order.print(upper) + (upperOpen ? ")" : "]");
      return Rule.of(names, text, v -> above.holds(v) && below.holds(v));
    }
    String text = "must be outside range " + (upperOpen ? "[" : "(") + order.print(upper) + ", "
        + order.print(lower) + (lowerOpen ? "]" : ")");
    return Rule.of(names, text, v -> above.holds(v) || below.holds(v));
  }

  /** One side of a range: {@code v < limit}, {@code v <= limit}, {@code v > limit} or {@code v >= limit}. */
  private record Bound(Order order, Object limit, boolean open, boolean upper) {
    boolean holds(Object v) {
      if (!order.comparable().test(v)) {
        return false;
      }
      int c = order.compare(v, limit) * (upper ? -1 : 1);
      return open ? c > 0 : c >= 0;
    }
  }

  /** A singular rule value by name, or null when unset or when this rule message has no such field. */
  private static Object value(Message rules, String name) {
    FieldDescriptor field = rules.getDescriptorForType().findFieldByName(name);
    return field != null && rules.hasField(field) ? rules.getField(field) : null;
  }

  private static List<?> values(Message rules, String name) {
    FieldDescriptor field = rules.getDescriptorForType().findFieldByName(name);
    return field == null ? List.of() : (List<?>) rules.getField(field);
  }
}
