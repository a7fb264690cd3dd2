package dev.sluice.translate.check;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import java.util.Comparator;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * How to compare, print and test for zero the values of one number-like type, so that the range,
 * const and in rules are written once for all twelve number types, Duration and Timestamp.
 *
 * <p>Rule values and field values of a type share one Java type (uint32 is an {@code Integer} in
 * both), so the comparator sees like with like. Unsigned types compare unsigned. NaN is not
 * comparable: it fails every bound and const, where PGV's Go templates, which test for failure
 * with {@code <=} and {@code >=}, would let it pass. A NaN in proxy config is never meant.
 */
record Order(Comparator<Object> comparator, Function<Object, String> printer, Predicate<Object> comparable,
    Predicate<Object> zero) {

  static final Order DURATION =
      new Order(Order::compareSecondsNanos, v -> Durations.toString(WellKnown.duration((Message) v)), v -> true,
          v -> false);

  static final Order TIMESTAMP =
      new Order(Order::compareSecondsNanos, v -> Timestamps.toString(WellKnown.timestamp((Message) v)), v -> true,
          v -> false);

  /** The order of a scalar field type; only number types have one. */
  static Order of(FieldDescriptor.Type type) {
    return switch (type) {
      case INT32, SINT32, SFIXED32 -> integers((a, b) -> Integer.compare((Integer) a, (Integer) b), String::valueOf);
      case UINT32, FIXED32 -> integers((a, b) -> Integer.compareUnsigned((Integer) a, (Integer) b),
          v -> Integer.toUnsignedString((Integer) v));
      case INT64, SINT64, SFIXED64 -> integers((a, b) -> Long.compare((Long) a, (Long) b), String::valueOf);
      case UINT64, FIXED64 -> integers((a, b) -> Long.compareUnsigned((Long) a, (Long) b),
          v -> Long.toUnsignedString((Long) v));
      case FLOAT, DOUBLE -> new Order(Order::compareReals, String::valueOf,
          v -> !Double.isNaN(((Number) v).doubleValue()), v -> ((Number) v).doubleValue() == 0);
      default -> throw new IllegalArgumentException(type + " is not a number type");
    };
  }

  int compare(Object a, Object b) {
    return comparator.compare(a, b);
  }

  boolean same(Object a, Object b) {
    return comparable.test(a) && compare(a, b) == 0;
  }

  String print(Object value) {
    return printer.apply(value);
  }

  private static Order integers(Comparator<Object> comparator, Function<Object, String> printer) {
    return new Order(comparator, printer, v -> true, v -> ((Number) v).longValue() == 0);
  }

  /** IEEE comparison, so -0.0 equals 0.0 as it does in PGV; callers exclude NaN first. */
  private static int compareReals(Object a, Object b) {
    double x = ((Number) a).doubleValue();
    double y = ((Number) b).doubleValue();
    return x < y ? -1 : x > y ? 1 : 0;
  }

  private static int compareSecondsNanos(Object a, Object b) {
    Message x = (Message) a;
    Message y = (Message) b;
    int bySeconds = Long.compare(WellKnown.seconds(x), WellKnown.seconds(y));
    return bySeconds != 0 ? bySeconds : Integer.compare(WellKnown.nanos(x), WellKnown.nanos(y));
  }
}
