package dev.sluice.translate;

import com.google.protobuf.BoolValue;
import com.google.protobuf.UnknownFieldSet;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;

/**
 * Fields that Envoy gained after the protos java-control-plane 1.0.49 ships, written by number so
 * they travel on the wire. A proxy that does not know a field skips it, as protobuf does.
 *
 * <p>{@code WeightedCluster.use_hash_policy} (field 5, Envoy 1.36): the route's hash policy, instead
 * of a random draw, picks the weighted cluster, so one user's requests reach one version on every
 * proxy. The number is checked against a newer copy of the proto in the tests.
 */
public final class NewerEnvoyFields {
  public static final int WEIGHTED_CLUSTER_USE_HASH_POLICY = 5;

  private NewerEnvoyFields() {}

  static void useHashPolicy(WeightedCluster.Builder split) {
    UnknownFieldSet.Field field = UnknownFieldSet.Field.newBuilder()
        .addLengthDelimited(BoolValue.of(true).toByteString())
        .build();
    split.setUnknownFields(
        UnknownFieldSet.newBuilder(split.getUnknownFields())
            .mergeField(WEIGHTED_CLUSTER_USE_HASH_POLICY, field)
            .build());
  }

  /** True when the split carries {@code use_hash_policy: true}. */
  public static boolean usesHashPolicy(WeightedCluster split) {
    UnknownFieldSet.Field field = split.getUnknownFields().getField(WEIGHTED_CLUSTER_USE_HASH_POLICY);
    return field.getLengthDelimitedList().stream().anyMatch(bytes -> {
      try {
        return BoolValue.parseFrom(bytes).getValue();
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        return false;
      }
    });
  }
}
