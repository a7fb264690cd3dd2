package dev.sluice.translate.check;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.envoyproxy.pgv.validate.Validate.FieldRules;
import java.util.Locale;

/**
 * Compiles the type-specific part of a FieldRules (its {@code type} oneof) into one {@link Rule}
 * for one value of the field: the field's own value, or one element, key or map value.
 *
 * <p>Rules for a scalar on a wrapper field (a {@code uint32} rule on a UInt32Value) apply to the
 * wrapped value. Rules that do not fit the field's type, which PGV's generator would refuse,
 * become a violation rather than an exception, so one odd proto cannot abort a whole check.
 */
final class ValueRules {
  private ValueRules() {}

  /**
   * @param prefix how the rules are reached, for the names in messages: "" for the field itself,
   *     {@code repeated.items.}, {@code map.keys.} or {@code map.values.}
   */
  static Rule compile(FieldRules rules, FieldDescriptor field, String prefix) {
    FieldRules.TypeCase kind = rules.getTypeCase();
    if (kind == FieldRules.TypeCase.TYPE_NOT_SET) {
      return Rule.NONE;
    }
    String kindName = kind.name().toLowerCase(Locale.ROOT);
    String family = prefix + kindName;
    FieldDescriptor wrapped = WellKnown.wrappedValue(field);
    FieldDescriptor target = wrapped != null ? wrapped : field;
    if (!fits(kind, target)) {
      String fieldType = field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
          ? field.getMessageType().getFullName() : field.getType().name().toLowerCase(Locale.ROOT);
      return Rule.always(family, "cannot apply " + kindName + " rules to a field of type " + fieldType);
    }
    Rule rule = switch (kind) {
      case STRING -> StringChecks.compile(rules.getString(), family);
      case BYTES -> BytesChecks.compile(rules.getBytes(), family);
      case BOOL -> EnumChecks.bool(rules.getBool(), family);
      case ENUM -> EnumChecks.compile(rules.getEnum(), family, target.getEnumType());
      case DURATION -> TimeAndAnyChecks.duration(rules.getDuration(), family);
      case TIMESTAMP -> TimeAndAnyChecks.timestamp(rules.getTimestamp(), family);
      case ANY -> TimeAndAnyChecks.any(rules.getAny(), family);
      default -> NumberChecks.compile(numberRules(rules), family, Order.of(target.getType()));
    };
    return wrapped == null ? rule : rule.on(v -> ((Message) v).getField(wrapped));
  }

  /** The message set in the {@code type} oneof, such as the UInt32Rules of a uint32 field. */
  private static Message numberRules(FieldRules rules) {
    return (Message) rules.getField(FieldRules.getDescriptor().findFieldByNumber(rules.getTypeCase().getNumber()));
  }

  /** Whether rules of {@code kind} can apply to values of {@code field}. */
  private static boolean fits(FieldRules.TypeCase kind, FieldDescriptor field) {
    return switch (kind) {
      case DURATION -> WellKnown.is(field, WellKnown.DURATION);
      case TIMESTAMP -> WellKnown.is(field, WellKnown.TIMESTAMP);
      case ANY -> WellKnown.is(field, WellKnown.ANY);
      case REPEATED, MAP -> false;
      // The remaining kinds are named exactly like FieldDescriptor.Type: uint32 -> UINT32.
      default -> field.getType().name().equals(kind.name());
    };
  }
}
