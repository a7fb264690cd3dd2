package dev.sluice.translate.check;

import com.google.protobuf.AnyProto;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FieldOptions;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.DescriptorProtos.OneofDescriptorProto;
import com.google.protobuf.DescriptorProtos.OneofOptions;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DurationProto;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.TimestampProto;
import com.google.protobuf.WrappersProto;
import io.envoyproxy.pgv.validate.Validate;
import io.envoyproxy.pgv.validate.Validate.FieldRules;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One-off proto3 message types whose fields carry chosen PGV rules, for the rule kinds Envoy's
 * protos never use (string.const, map.keys, sint64 ranges...). Each type lives in its own package
 * so tests never share a cached plan. Message-typed fields name their type as in a .proto:
 * {@code google.protobuf.UInt32Value}, or {@code SELF} for the type being built.
 */
final class TestTypes {
  static final String SELF = "SELF";
  private static final AtomicInteger PACKAGES = new AtomicInteger();

  private final String pkg = "sluice.test" + PACKAGES.incrementAndGet();
  private final DescriptorProto.Builder message = DescriptorProto.newBuilder().setName("M");

  static TestTypes message() {
    return new TestTypes();
  }

  static FieldRules.Builder rules() {
    return FieldRules.newBuilder();
  }

  TestTypes scalar(String name, Type type, FieldRules.Builder rules) {
    message.addField(field(name, type, null, rules).setLabel(Label.LABEL_OPTIONAL));
    return this;
  }

  TestTypes optional(String name, Type type, FieldRules.Builder rules) {
    int oneof = message.getOneofDeclCount();
    message.addOneofDecl(OneofDescriptorProto.newBuilder().setName("_" + name));
    message.addField(field(name, type, null, rules).setProto3Optional(true).setOneofIndex(oneof));
    return this;
  }

  TestTypes repeated(String name, Type type, FieldRules.Builder rules) {
    message.addField(field(name, type, null, rules).setLabel(Label.LABEL_REPEATED));
    return this;
  }

  TestTypes message(String name, String typeName, FieldRules.Builder rules) {
    message.addField(field(name, Type.TYPE_MESSAGE, typeName, rules));
    return this;
  }

  TestTypes repeatedMessage(String name, String typeName, FieldRules.Builder rules) {
    message.addField(field(name, Type.TYPE_MESSAGE, typeName, rules).setLabel(Label.LABEL_REPEATED));
    return this;
  }

  /** A map field; {@code valueTypeName} is used when {@code valueType} is a message. */
  TestTypes map(String name, Type keyType, Type valueType, String valueTypeName, FieldRules.Builder rules) {
    String entry = Character.toUpperCase(name.charAt(0)) + name.substring(1) + "Entry";
    message.addNestedType(DescriptorProto.newBuilder()
        .setName(entry)
        .setOptions(MessageOptions.newBuilder().setMapEntry(true))
        .addField(FieldDescriptorProto.newBuilder().setName("key").setNumber(1).setType(keyType)
            .setLabel(Label.LABEL_OPTIONAL))
        .addField(field("value", valueType, valueTypeName, rules()).setNumber(2)));
    message.addField(FieldDescriptorProto.newBuilder().setName(name).setNumber(message.getFieldCount() + 1)
        .setType(Type.TYPE_MESSAGE).setTypeName("." + pkg + ".M." + entry).setLabel(Label.LABEL_REPEATED)
        .setOptions(FieldOptions.newBuilder().setExtension(Validate.rules, rules.build())));
    return this;
  }

  /** A real oneof holding scalar fields, each without rules unless given afterwards. */
  TestTypes oneof(String name, boolean required, String... stringFields) {
    int index = message.getOneofDeclCount();
    message.addOneofDecl(OneofDescriptorProto.newBuilder().setName(name)
        .setOptions(OneofOptions.newBuilder().setExtension(Validate.required, required)));
    for (String field : stringFields) {
      message.addField(field(field, Type.TYPE_STRING, null, rules()).setOneofIndex(index));
    }
    return this;
  }

  TestTypes oneofMember(String oneof, String name, Type type, String typeName, FieldRules.Builder rules) {
    int index = 0;
    while (!message.getOneofDecl(index).getName().equals(oneof)) {
      index++;
    }
    message.addField(field(name, type, typeName, rules).setOneofIndex(index));
    return this;
  }

  TestTypes options(MessageOptions.Builder options) {
    message.setOptions(options);
    return this;
  }

  Descriptor build() {
    FileDescriptorProto file = FileDescriptorProto.newBuilder()
        .setName(pkg.replace('.', '/') + ".proto")
        .setPackage(pkg)
        .setSyntax("proto3")
        .addDependency(WrappersProto.getDescriptor().getName())
        .addDependency(DurationProto.getDescriptor().getName())
        .addDependency(TimestampProto.getDescriptor().getName())
        .addDependency(AnyProto.getDescriptor().getName())
        .addMessageType(message)
        .build();
    try {
      return FileDescriptor.buildFrom(file, new FileDescriptor[] {WrappersProto.getDescriptor(),
          DurationProto.getDescriptor(), TimestampProto.getDescriptor(), AnyProto.getDescriptor()})
          .findMessageTypeByName("M");
    } catch (DescriptorValidationException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** A message of {@code type} with fields set by name; lists fill repeated fields. */
  static DynamicMessage with(Descriptor type, Object... namesAndValues) {
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      var field = type.findFieldByName((String) namesAndValues[i]);
      if (namesAndValues[i + 1] instanceof java.util.List<?> values) {
        values.forEach(v -> builder.addRepeatedField(field, v));
      } else {
        builder.setField(field, namesAndValues[i + 1]);
      }
    }
    return builder.build();
  }

  private FieldDescriptorProto.Builder field(String name, Type type, String typeName, FieldRules.Builder rules) {
    FieldDescriptorProto.Builder field = FieldDescriptorProto.newBuilder()
        .setName(name)
        .setNumber(message.getFieldCount() + 1)
        .setType(type)
        .setLabel(Label.LABEL_OPTIONAL)
        .setOptions(FieldOptions.newBuilder().setExtension(Validate.rules, rules.build()));
    if (typeName != null) {
      field.setTypeName(typeName.equals(SELF) ? "." + pkg + ".M" : "." + typeName);
    }
    return field;
  }
}
