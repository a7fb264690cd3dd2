package dev.sluice.translate.check;

import com.google.protobuf.Message;
import com.google.protobuf.TypeRegistry;
import java.util.List;
import java.util.Objects;

/**
 * Evaluates the protoc-gen-validate (PGV) rules that Envoy's protos carry as options, straight
 * from the descriptors, on a resource Sluice is about to push.
 *
 * <p>Why: Envoy runs these same checks on every resource it receives and NACKs the whole update
 * when one fails, leaving the proxy on its previous config while the control plane believes it
 * pushed. Checking first turns that into a violation on the one resource, with a field path,
 * before anything is sent. The rules come from the descriptors, so they follow the api jar's
 * protos without generated validators or hand-written copies.
 *
 * <p>Semantics follow PGV: scalar fields without presence are checked even at their default
 * value (unless {@code ignore_empty}); message fields and oneof members only when set, apart from
 * {@code required}; a message marked {@code (validate.disabled)} or {@code (validate.ignored)} is
 * skipped with everything under it. The walk descends into every set message, repeated element,
 * map value and, when {@code anyTypes} knows the type, Any payload. Envoy's validation stops at
 * the first failure; this reports every failing field, each with its first failing rule. Not
 * covered: timestamp rules relative to the current time ({@code lt_now}, {@code gt_now}, {@code
 * within}), which would need a clock, and {@code map.no_sparse}, which Java cannot observe; no
 * Envoy proto uses either.
 *
 * <p>Thread-safe: compiled rules are cached per descriptor and shared; each call walks alone.
 */
public final class ProtoRules {
  private ProtoRules() {}

  /**
   * Every PGV violation in {@code message} and everything under it, including messages packed in
   * {@code google.protobuf.Any} that {@code anyTypes} knows (others are skipped). Paths use proto
   * field names, for example {@code virtual_hosts[0].routes[1].route.cluster}, with {@code
   * typed_config(full.type.Name)} for the inside of an Any.
   *
   * @return the violations in walk order; empty when the message is valid
   */
  public static List<Violation> check(Message message, PackedTypes anyTypes) {
    Walk walk = new Walk(Objects.requireNonNull(anyTypes, "anyTypes"));
    walk.descend(message, Path.ROOT);
    return walk.violations();
  }

  /** As {@link #check(Message, PackedTypes)}, with every payload parsed into a DynamicMessage. */
  public static List<Violation> check(Message message, TypeRegistry anyTypes) {
    return check(message, PackedTypes.dynamic(Objects.requireNonNull(anyTypes, "anyTypes")));
  }
}
