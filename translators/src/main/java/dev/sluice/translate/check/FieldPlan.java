package dev.sluice.translate.check;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.envoyproxy.pgv.validate.Validate.FieldRules;
import io.envoyproxy.pgv.validate.Validate.MapRules;
import io.envoyproxy.pgv.validate.Validate.RepeatedRules;
import java.util.Locale;

/**
 * What to check on one field, compiled once from its {@code (validate.rules)} option.
 *
 * @param required the failure when the field is unset, for {@code message.required} and the
 *     {@code required} of Duration, Timestamp and Any rules; null when it may be unset
 * @param count the size rules of a repeated field or map, applied to the element count
 * @param unique whether a repeated field's elements must differ ({@code repeated.unique})
 * @param keys the plan for map keys; {@link ValuePlan#NOTHING} for other fields
 * @param values the plan for the value, each element, or each map value
 */
record FieldPlan(FieldDescriptor field, String required, Rule count, boolean unique, ValuePlan keys,
    ValuePlan values, Shape shape, Presence presence) {

  /** Computed once: descriptor queries such as isRepeated() showed up in profiles of the walk. */
  enum Shape { SINGULAR, REPEATED, MAP }

  /**
   * NONE: plain proto3 scalars, always checked; OPTIONAL: proto3 {@code optional} (a synthetic
   * oneof); ONEOF: members of a real oneof, whose set member the walk reads once per oneof.
   */
  enum Presence { NONE, FIELD, OPTIONAL, ONEOF }

  FieldPlan(FieldDescriptor field, String required, Rule count, boolean unique, ValuePlan keys, ValuePlan values) {
    this(field, required, count, unique, keys, values,
        field.isMapField() ? Shape.MAP : field.isRepeated() ? Shape.REPEATED : Shape.SINGULAR,
        !field.hasPresence() ? Presence.NONE
            : field.getRealContainingOneof() != null ? Presence.ONEOF
            : field.getContainingOneof() != null ? Presence.OPTIONAL : Presence.FIELD);
  }

  /** The plan for {@code field}, or null when there is nothing to check or descend into. */
  static FieldPlan of(FieldDescriptor field) {
    FieldRules rules = RuleOptions.field(field);
    FieldPlan plan;
    if (field.isMapField()) {
      plan = map(field, rules);
    } else if (field.isRepeated()) {
      plan = repeated(field, rules);
    } else {
      plan = new FieldPlan(field, required(rules), Rule.NONE, false, ValuePlan.NOTHING,
          ValuePlan.of(rules, field, ""));
    }
    return plan.checksItself() || plan.values.descend() ? plan : null;
  }

  /** Whether the field has a rule of its own, apart from what the values it holds may hold. */
  boolean checksItself() {
    return required != null || count != Rule.NONE || unique || keys.rule() != Rule.NONE || values.rule() != Rule.NONE;
  }

  /** The message type of the values the walk descends into; null when it descends into none. */
  Descriptor descendsInto() {
    if (!values.descend()) {
      return null;
    }
    return shape == Shape.MAP ? field.getMessageType().findFieldByNumber(2).getMessageType() : field.getMessageType();
  }

  /** This plan without the descent, or null when that leaves nothing to check. */
  FieldPlan withoutDescent() {
    if (!checksItself()) {
      return null;
    }
    return new FieldPlan(field, required, count, unique, keys, new ValuePlan(values.rule(), false), shape, presence);
  }

  private static FieldPlan repeated(FieldDescriptor field, FieldRules rules) {
    RepeatedRules repeated = rules.getRepeated();
    Rule count = misfit(rules, FieldRules.TypeCase.REPEATED, "repeated");
    if (count == null) {
      count = CollectionChecks.items(repeated);
    }
    return new FieldPlan(field, null, count, repeated.getUnique(), ValuePlan.NOTHING,
        ValuePlan.of(repeated.getItems(), field, "repeated.items."));
  }

  /**
   * {@code no_sparse} is not read: Java's runtime, like Envoy's C++ one, turns a map entry
   * without a value into the value type's default instance, so an unset value cannot be seen.
   */
  private static FieldPlan map(FieldDescriptor field, FieldRules rules) {
    MapRules map = rules.getMap();
    Rule count = misfit(rules, FieldRules.TypeCase.MAP, "map");
    if (count == null) {
      count = CollectionChecks.pairs(map);
    }
    FieldDescriptor key = field.getMessageType().findFieldByNumber(1);
    FieldDescriptor value = field.getMessageType().findFieldByNumber(2);
    return new FieldPlan(field, null, count, false,
        ValuePlan.of(map.getKeys(), key, "map.keys."), ValuePlan.of(map.getValues(), value, "map.values."));
  }

  /** A rule failing always when a repeated field or map carries rules of another kind; else null. */
  private static Rule misfit(FieldRules rules, FieldRules.TypeCase expected, String shape) {
    FieldRules.TypeCase kind = rules.getTypeCase();
    if (kind == FieldRules.TypeCase.TYPE_NOT_SET || kind == expected) {
      return null;
    }
    String name = kind.name().toLowerCase(Locale.ROOT);
    return Rule.always(name, "cannot apply " + name + " rules to a " + shape + " field");
  }

  private static String required(FieldRules rules) {
    String name = rules.getMessage().getRequired() ? "message.required"
        : rules.hasDuration() && rules.getDuration().getRequired() ? "duration.required"
        : rules.hasTimestamp() && rules.getTimestamp().getRequired() ? "timestamp.required"
        : rules.hasAny() && rules.getAny().getRequired() ? "any.required"
        : null;
    return name == null ? null : "is required (" + name + ")";
  }
}
