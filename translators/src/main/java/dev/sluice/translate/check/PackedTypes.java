package dev.sluice.translate.check;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.TypeRegistry;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The message types a check may find packed in a {@code google.protobuf.Any}, and how to parse
 * their payloads.
 *
 * <p>Why not just a TypeRegistry: it knows descriptors only, so a payload could only become a
 * {@code DynamicMessage}, and parsing into one was the largest single cost of checking a listener.
 * Types given by their default instance parse with their generated parser instead. The set of
 * known types is the registry's either way (a registry also knows every type of the added types'
 * files and imports); those without a default instance here still parse dynamically.
 *
 * <p>Immutable and thread-safe.
 */
public final class PackedTypes {
  private static final String URL_PREFIX = "type.googleapis.com/";

  private final TypeRegistry registry;
  private final Map<Descriptor, Message> generated;
  /** The generated types by their usual type URL, so finding one costs no URL splitting. */
  private final Map<String, Descriptor> byUrl;

  private PackedTypes(TypeRegistry registry, Map<Descriptor, Message> generated) {
    this.registry = registry;
    this.generated = generated;
    this.byUrl = generated.keySet().stream()
        .map(type -> registry.find(type.getFullName()))
        .collect(Collectors.toUnmodifiableMap(type -> URL_PREFIX + type.getFullName(), Function.identity()));
  }

  /** Payloads of these types parse into their generated classes. */
  public static PackedTypes of(List<? extends Message> defaultInstances) {
    TypeRegistry.Builder registry = TypeRegistry.newBuilder();
    defaultInstances.forEach(m -> registry.add(m.getDescriptorForType()));
    return new PackedTypes(registry.build(), defaultInstances.stream()
        .collect(Collectors.toUnmodifiableMap(Message::getDescriptorForType, Function.identity())));
  }

  /** Payloads of the registry's types parse into {@code DynamicMessage}. */
  public static PackedTypes dynamic(TypeRegistry registry) {
    return new PackedTypes(registry, Map.of());
  }

  /** Every known type, for {@code JsonFormat} and other users of a registry. */
  public TypeRegistry registry() {
    return registry;
  }

  /** The type a type URL names, or null when it is unknown or the URL is malformed. */
  Descriptor find(String typeUrl) {
    Descriptor known = byUrl.get(typeUrl);
    if (known != null) {
      return known;
    }
    try {
      return registry.getDescriptorForTypeUrl(typeUrl);
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }

  /** {@code payload} parsed as {@code type}, which {@link #find} returned. */
  Message parse(Descriptor type, ByteString payload) throws InvalidProtocolBufferException {
    Message prototype = generated.get(type);
    return prototype != null
        ? prototype.getParserForType().parseFrom(payload)
        : DynamicMessage.parseFrom(type, payload);
  }
}
