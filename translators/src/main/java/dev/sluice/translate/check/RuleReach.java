package dev.sluice.translate.check;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which message types can hold something to check anywhere beneath them, so the walk leaves the
 * others alone. Most of an Envoy resource is such subtrees (metadata, addresses, core settings
 * without rules), and reading each of their fields by reflection was most of the check's time.
 *
 * <p>A type may hold rules when a rule of its own, a required oneof, or an Any (whose payload can
 * be anything) is reachable from it through the fields the walk would descend into. Types marked
 * {@code (validate.disabled)} or {@code (validate.ignored)} hold none, whatever is under them.
 * Recursive types are fine: the search keeps a set of the types it has seen.
 */
final class RuleReach {
  private static final ConcurrentHashMap<Descriptor, Boolean> CACHE = new ConcurrentHashMap<>();

  private RuleReach() {}

  static boolean mayHoldRules(Descriptor type) {
    Boolean known = CACHE.get(type);
    return known != null ? known : search(type);
  }

  /**
   * Breadth first from {@code root}. A miss proves it for every type seen too (all that they reach
   * was seen and holds nothing), so those are cached with it.
   */
  private static boolean search(Descriptor root) {
    Deque<Descriptor> todo = new ArrayDeque<>();
    Set<Descriptor> seen = new HashSet<>();
    todo.add(root);
    seen.add(root);
    while (!todo.isEmpty()) {
      Descriptor type = todo.remove();
      Boolean known = CACHE.get(type);
      if (known == Boolean.FALSE || known == null && RuleOptions.skipsMessage(type)) {
        continue;
      }
      if (known == Boolean.TRUE || type.getFullName().equals(WellKnown.ANY)
          || type.getRealOneofs().stream().anyMatch(RuleOptions::requiresOneof)) {
        CACHE.put(root, true);
        return true;
      }
      for (FieldDescriptor field : type.getFields()) {
        FieldPlan plan = FieldPlan.of(field);
        if (plan != null && plan.checksItself()) {
          CACHE.put(root, true);
          return true;
        }
        Descriptor inner = plan == null ? null : plan.descendsInto();
        if (inner != null && seen.add(inner)) {
          todo.add(inner);
        }
      }
    }
    seen.forEach(type -> CACHE.put(type, false));
    return false;
  }
}
