package dev.sluice.translate.check;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.ExtensionRegistry;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.envoyproxy.pgv.validate.Validate;
import io.envoyproxy.pgv.validate.Validate.FieldRules;

/**
 * Reads the PGV options off descriptors.
 *
 * <p>The generated Envoy classes register Validate's extensions when they build their descriptors
 * ({@code internalUpdateFileDescriptor}), so the options arrive parsed: all 1,426 field rules in
 * java-control-plane 1.0.49 answer {@code hasExtension(Validate.rules)} and none is left as an
 * unknown field. A descriptor built at run time without that registry (for example from a
 * serialized FileDescriptorSet) keeps them as unknown field 1071/1072 instead; for those the
 * options are parsed again with the registry. Callers cache the result per descriptor.
 */
final class RuleOptions {
  private static final ExtensionRegistry REGISTRY = registry();

  private RuleOptions() {}

  /** The field's rules; the empty default instance when it has none. */
  static FieldRules field(FieldDescriptor field) {
    return withValidate(field.getOptions()).getExtension(Validate.rules);
  }

  /** {@code (validate.disabled)} or {@code (validate.ignored)}: PGV checks nothing in the message. */
  static boolean skipsMessage(Descriptor type) {
    var options = withValidate(type.getOptions());
    return options.getExtension(Validate.disabled) || options.getExtension(Validate.ignored);
  }

  /** {@code (validate.required)} on a oneof: one of its fields must be set. */
  static boolean requiresOneof(OneofDescriptor oneof) {
    return withValidate(oneof.getOptions()).getExtension(Validate.required);
  }

  @SuppressWarnings("unchecked")
  private static <M extends Message> M withValidate(M options) {
    var unknown = options.getUnknownFields();
    // 1071 carries rules, required and disabled (each on its own options type); 1072 ignored.
    if (!unknown.hasField(1071) && !unknown.hasField(1072)) {
      return options;
    }
    try {
      return (M) options.getParserForType().parseFrom(options.toByteString(), REGISTRY);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("options that protobuf itself serialized do not parse", e);
    }
  }

  private static ExtensionRegistry registry() {
    ExtensionRegistry registry = ExtensionRegistry.newInstance();
    Validate.registerAllExtensions(registry);
    return registry.getUnmodifiable();
  }
}
