package dev.sluice.translate.check;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.sluice.translate.check.FieldPlan.Presence;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One check: walks a message depth first, in field declaration order, applying the compiled plans
 * and collecting violations. Not thread-safe; {@link ProtoRules} makes one per call.
 */
final class Walk {
  private static final String ONEOF_REQUIRED = "must have one of its fields set (oneof.required)";

  private final PackedTypes anyTypes;
  private final List<Violation> found = new ArrayList<>();
  /** The last oneof looked up, so its members after the first cost no reflective call. */
  private Message oneofOwner;
  private OneofDescriptor oneof;
  private FieldDescriptor oneofChoice;

  Walk(PackedTypes anyTypes) {
    this.anyTypes = anyTypes;
  }

  List<Violation> violations() {
    return List.copyOf(found);
  }

  /** A message value: unpacks an Any, otherwise checks the message's own fields. */
  void descend(Message message, Path at) {
    if (message.getDescriptorForType().getFullName().equals(WellKnown.ANY)) {
      unpack(message, at);
    } else {
      fields(message, at);
    }
  }

  private void fields(Message message, Path at) {
    MessagePlan plan = MessagePlan.of(message.getDescriptorForType());
    if (plan.skipped()) {
      return;
    }
    for (FieldPlan field : plan.fields()) {
      switch (field.shape()) {
        case MAP -> map(message, field, at.field(field.field().getName()));
        case REPEATED -> repeated(message, field, at);
        case SINGULAR -> singular(message, field, at);
      }
    }
    for (OneofDescriptor oneof : plan.requiredOneofs()) {
      if (!message.hasOneof(oneof)) {
        report(at.field(oneof.getName()), ONEOF_REQUIRED);
      }
    }
  }

  /**
   * Fields with presence (messages, oneof members, proto3 optional) are checked only when set;
   * plain proto3 scalars always, so a uint32 with {@code gte: 1} fails at its default 0, as in PGV.
   * An unset message is reported when required, unless it is a oneof member: in a oneof only the
   * member that is set counts ({@code RouteMatch.safe_regex} is required, yet {@code prefix} may
   * be chosen instead).
   */
  private void singular(Message message, FieldPlan field, Path at) {
    FieldDescriptor descriptor = field.field();
    boolean set = switch (field.presence()) {
      case NONE -> true;
      case ONEOF -> chosen(message, descriptor.getContainingOneof()) == descriptor;
      case FIELD, OPTIONAL -> message.hasField(descriptor);
    };
    if (!set) {
      if (field.required() != null && field.presence() == Presence.FIELD) {
        report(at.field(descriptor.getName()), field.required());
      }
      return;
    }
    value(field.values(), message.getField(descriptor), at.field(descriptor.getName()));
  }

  /** The member of {@code oneof} that is set in {@code message}, or null. */
  private FieldDescriptor chosen(Message message, OneofDescriptor oneof) {
    if (message != oneofOwner || oneof != this.oneof) {
      oneofOwner = message;
      this.oneof = oneof;
      oneofChoice = message.getOneofFieldDescriptor(oneof);
    }
    return oneofChoice;
  }

  private void repeated(Message message, FieldPlan field, Path parent) {
    FieldDescriptor descriptor = field.field();
    List<?> elements = (List<?>) message.getField(descriptor);
    if (elements.isEmpty() && field.count() == Rule.NONE) {
      return;
    }
    Path at = parent.field(descriptor.getName());
    String failure = field.count().failure(elements.size());
    if (failure != null) {
      report(at, failure);
    }
    Set<Object> seen = field.unique() ? new HashSet<>() : null;
    for (int i = 0; i < elements.size(); i++) {
      Object element = elements.get(i);
      if (seen != null && !seen.add(element)) {
        report(at.index(i), CollectionChecks.NOT_UNIQUE);
      }
      value(field.values(), element, at.index(i));
    }
  }

  /** Map entries arrive as messages with a {@code key} (1) and a {@code value} (2) field. */
  private void map(Message message, FieldPlan field, Path at) {
    List<?> entries = (List<?>) message.getField(field.field());
    String failure = field.count().failure(entries.size());
    if (failure != null) {
      report(at, failure);
    }
    for (Object element : entries) {
      Message entry = (Message) element;
      FieldDescriptor keyField = entry.getDescriptorForType().findFieldByNumber(1);
      FieldDescriptor valueField = entry.getDescriptorForType().findFieldByNumber(2);
      Object key = entry.getField(keyField);
      Path entryAt = at.key(key);
      String keyFailure = field.keys().rule().failure(key);
      if (keyFailure != null) {
        report(entryAt, keyFailure);
      }
      value(field.values(), entry.getField(valueField), entryAt);
    }
  }

  private void value(ValuePlan plan, Object value, Path at) {
    String failure = plan.rule().failure(value);
    if (failure != null) {
      report(at, failure);
    }
    if (plan.descend()) {
      descend((Message) value, at);
    }
  }

  /**
   * Checks an Any's payload when the registry knows its type; unknown types are skipped, as the
   * check cannot know their rules. A payload that does not parse as its type is a violation.
   */
  private void unpack(Message any, Path at) {
    Descriptor type = anyTypes.find(WellKnown.typeUrl(any));
    if (type == null) {
      return;
    }
    Message payload;
    try {
      payload = anyTypes.parse(type, WellKnown.payload(any));
    } catch (InvalidProtocolBufferException e) {
      report(at, "must hold a payload that parses as " + type.getFullName() + " (any)");
      return;
    }
    fields(payload, at.packed(type.getFullName()));
  }

  private void report(Path at, String rule) {
    found.add(new Violation(at.render(), rule));
  }
}
