package dev.sluice.translate.check;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The compiled rules of one message type. Built once per descriptor and then shared by every
 * thread: reading options and compiling patterns is the expensive part, and the check runs on
 * every translated resource. The cache holds one entry per message type ever checked, a bounded
 * number for generated types.
 *
 * @param skipped {@code (validate.disabled)} or {@code (validate.ignored)}: nothing inside the
 *     message is checked, as PGV generates no checks for it
 * @param fields the fields with rules or with messages that may hold some ({@link RuleReach}), in
 *     declaration order
 * @param requiredOneofs the oneofs marked {@code (validate.required)}
 */
record MessagePlan(boolean skipped, List<FieldPlan> fields, List<OneofDescriptor> requiredOneofs) {
  private static final ConcurrentHashMap<Descriptor, MessagePlan> CACHE = new ConcurrentHashMap<>();

  static MessagePlan of(Descriptor type) {
    MessagePlan plan = CACHE.get(type);
    return plan != null ? plan : CACHE.computeIfAbsent(type, MessagePlan::compile);
  }

  private static MessagePlan compile(Descriptor type) {
    if (RuleOptions.skipsMessage(type)) {
      return new MessagePlan(true, List.of(), List.of());
    }
    List<FieldPlan> fields = new ArrayList<>();
    for (FieldDescriptor field : type.getFields()) {
      FieldPlan plan = FieldPlan.of(field);
      if (plan != null && plan.descendsInto() != null && !RuleReach.mayHoldRules(plan.descendsInto())) {
        plan = plan.withoutDescent();
      }
      if (plan != null) {
        fields.add(plan);
      }
    }
    List<OneofDescriptor> oneofs =
        type.getRealOneofs().stream().filter(RuleOptions::requiresOneof).toList();
    return new MessagePlan(false, List.copyOf(fields), oneofs);
  }
}
