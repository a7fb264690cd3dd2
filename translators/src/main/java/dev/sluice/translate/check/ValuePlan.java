package dev.sluice.translate.check;

import com.google.protobuf.Descriptors.FieldDescriptor;
import io.envoyproxy.pgv.validate.Validate.FieldRules;

/**
 * What to do with one value of a field (the value itself, an element, a map key or map value):
 * apply {@code rule}, and descend into it when it is a message that may hold rules of its own.
 */
record ValuePlan(Rule rule, boolean descend) {
  static final ValuePlan NOTHING = new ValuePlan(Rule.NONE, false);

  static ValuePlan of(FieldRules rules, FieldDescriptor field, String prefix) {
    boolean descend = field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
        && !rules.getMessage().getSkip()
        && !WellKnown.ruleFree(field.getMessageType());
    return new ValuePlan(ValueRules.compile(rules, field, prefix), descend);
  }
}
