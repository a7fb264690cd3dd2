package dev.sluice.translate.check;

import com.google.protobuf.Message;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import io.envoyproxy.pgv.validate.Validate.AnyRules;
import io.envoyproxy.pgv.validate.Validate.DurationRules;
import io.envoyproxy.pgv.validate.Validate.TimestampRules;
import java.util.List;
import java.util.Set;

/**
 * DurationRules, TimestampRules and AnyRules on a set value; {@code required} is the field plan's
 * business, since an unset field has no value to hand here.
 *
 * <p>Not covered: the timestamp rules relative to the current time ({@code lt_now}, {@code
 * gt_now}, {@code within}). This package is clock-free like the rest of the translators, and no
 * Envoy proto uses them.
 */
final class TimeAndAnyChecks {
  private TimeAndAnyChecks() {}

  static Rule duration(DurationRules r, String family) {
    Rule valid = Rule.of(family, "must be a valid duration",
        v -> Durations.isValid(WellKnown.seconds((Message) v), WellKnown.nanos((Message) v)));
    return Rule.firstOf(List.of(valid, NumberChecks.compile(r, family, Order.DURATION)));
  }

  static Rule timestamp(TimestampRules r, String family) {
    Rule valid = Rule.of(family, "must be a valid timestamp",
        v -> Timestamps.isValid(WellKnown.seconds((Message) v), WellKnown.nanos((Message) v)));
    return Rule.firstOf(List.of(valid, NumberChecks.compile(r, family, Order.TIMESTAMP)));
  }

  static Rule any(AnyRules r, String family) {
    Rule in = Rule.NONE;
    Rule notIn = Rule.NONE;
    if (r.getInCount() > 0) {
      Set<String> urls = Set.copyOf(r.getInList());
      in = Rule.of(family + ".in", "type URL must be one of " + Show.list(r.getInList(), Show::quote),
          v -> urls.contains(WellKnown.typeUrl((Message) v)));
    }
    if (r.getNotInCount() > 0) {
      Set<String> urls = Set.copyOf(r.getNotInList());
      notIn = Rule.of(family + ".not_in", "type URL must not be one of " + Show.list(r.getNotInList(), Show::quote),
          v -> !urls.contains(WellKnown.typeUrl((Message) v)));
    }
    return Rule.firstOf(List.of(in, notIn));
  }
}
