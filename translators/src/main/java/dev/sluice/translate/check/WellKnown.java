package dev.sluice.translate.check;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Duration;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import java.util.Set;

/**
 * Reads google.protobuf well-known types whether they arrive generated ({@code Duration}) or as a
 * {@code DynamicMessage}, which is what every message inside a payload is when {@link PackedTypes}
 * knows its type by descriptor only.
 */
final class WellKnown {
  static final String ANY = "google.protobuf.Any";
  static final String DURATION = "google.protobuf.Duration";
  static final String TIMESTAMP = "google.protobuf.Timestamp";

  private static final Set<String> WRAPPERS = Set.of(
      "google.protobuf.DoubleValue", "google.protobuf.FloatValue", "google.protobuf.Int64Value",
      "google.protobuf.UInt64Value", "google.protobuf.Int32Value", "google.protobuf.UInt32Value",
      "google.protobuf.BoolValue", "google.protobuf.StringValue", "google.protobuf.BytesValue");

  private WellKnown() {}

  static boolean is(FieldDescriptor field, String typeName) {
    return field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
        && field.getMessageType().getFullName().equals(typeName);
  }

  /** The {@code value} field when {@code field} holds a wrapper such as UInt32Value; else null. */
  static FieldDescriptor wrappedValue(FieldDescriptor field) {
    if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE
        || !WRAPPERS.contains(field.getMessageType().getFullName())) {
      return null;
    }
    return field.getMessageType().findFieldByNumber(1);
  }

  /**
   * Types PGV never annotates and whose contents cannot hold rules (Struct, wrappers, Duration...);
   * the walk does not descend into them. Any is the exception: its payload can be anything.
   */
  static boolean ruleFree(Descriptor type) {
    return type.getFile().getPackage().equals("google.protobuf") && !type.getFullName().equals(ANY);
  }

  static long seconds(Message message) {
    if (message instanceof Duration d) {
      return d.getSeconds();
    }
    if (message instanceof Timestamp t) {
      return t.getSeconds();
    }
    return (Long) message.getField(message.getDescriptorForType().findFieldByNumber(1));
  }

  static int nanos(Message message) {
    if (message instanceof Duration d) {
      return d.getNanos();
    }
    if (message instanceof Timestamp t) {
      return t.getNanos();
    }
    return (Integer) message.getField(message.getDescriptorForType().findFieldByNumber(2));
  }

  static Duration duration(Message message) {
    return message instanceof Duration d
        ? d : Duration.newBuilder().setSeconds(seconds(message)).setNanos(nanos(message)).build();
  }

  static Timestamp timestamp(Message message) {
    return message instanceof Timestamp t
        ? t : Timestamp.newBuilder().setSeconds(seconds(message)).setNanos(nanos(message)).build();
  }

  static String typeUrl(Message any) {
    return any instanceof Any a
        ? a.getTypeUrl() : (String) any.getField(any.getDescriptorForType().findFieldByNumber(1));
  }

  static ByteString payload(Message any) {
    return any instanceof Any a
        ? a.getValue() : (ByteString) any.getField(any.getDescriptorForType().findFieldByNumber(2));
  }
}
