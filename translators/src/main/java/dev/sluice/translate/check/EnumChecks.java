package dev.sluice.translate.check;

import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import io.envoyproxy.pgv.validate.Validate.BoolRules;
import io.envoyproxy.pgv.validate.Validate.EnumRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * EnumRules and BoolRules. {@code defined_only} is the common one (161 Envoy fields): proto3 enums
 * are open, so a number the .proto never declared parses fine and Envoy rejects it later.
 */
final class EnumChecks {
  private EnumChecks() {}

  static Rule compile(EnumRules r, String family, EnumDescriptor type) {
    List<Rule> checks = new ArrayList<>();
    if (r.hasConst()) {
      checks.add(rule(family + ".const", "must equal " + show(type, r.getConst()), n -> n == r.getConst()));
    }
    if (r.getDefinedOnly()) {
      checks.add(rule(family + ".defined_only", "must be one of the values " + type.getName() + " defines",
          n -> type.findValueByNumber(n) != null));
    }
    if (r.getInCount() > 0) {
      Set<Integer> in = Set.copyOf(r.getInList());
      checks.add(rule(family + ".in", "must be one of " + Show.list(r.getInList(), n -> show(type, n)),
          in::contains));
    }
    if (r.getNotInCount() > 0) {
      Set<Integer> notIn = Set.copyOf(r.getNotInList());
      checks.add(rule(family + ".not_in", "must not be one of " + Show.list(r.getNotInList(), n -> show(type, n)),
          n -> !notIn.contains(n)));
    }
    return Rule.firstOf(checks);
  }

  static Rule bool(BoolRules r, String family) {
    return r.hasConst()
        ? Rule.of(family + ".const", "must be " + r.getConst(), v -> (Boolean) v == r.getConst())
        : Rule.NONE;
  }

  private static Rule rule(String name, String text, IntPredicate passes) {
    return Rule.of(name, text, v -> passes.test(((EnumValueDescriptor) v).getNumber()));
  }

  private static String show(EnumDescriptor type, int number) {
    EnumValueDescriptor value = type.findValueByNumber(number);
    return value == null ? String.valueOf(number) : value.getName() + " (" + number + ")";
  }
}
