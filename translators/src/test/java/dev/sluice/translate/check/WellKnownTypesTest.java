package dev.sluice.translate.check;

import static dev.sluice.translate.check.TestTypes.rules;
import static dev.sluice.translate.check.TestTypes.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Duration;
import com.google.protobuf.Message;
import com.google.protobuf.StringValue;
import com.google.protobuf.Timestamp;
import com.google.protobuf.TypeRegistry;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.type.v3.Percent;
import io.envoyproxy.pgv.validate.Validate.AnyRules;
import io.envoyproxy.pgv.validate.Validate.DurationRules;
import io.envoyproxy.pgv.validate.Validate.MessageRules;
import io.envoyproxy.pgv.validate.Validate.StringRules;
import io.envoyproxy.pgv.validate.Validate.TimestampRules;
import io.envoyproxy.pgv.validate.Validate.UInt32Rules;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Wrappers, Duration, Timestamp and Any: rules on google.protobuf types. */
class WellKnownTypesTest {
  static final String PERCENT_URL = "type.googleapis.com/envoy.type.v3.Percent";

  static List<Violation> check(Message message) {
    return ProtoRules.check(message, TypeRegistry.newBuilder().add(Percent.getDescriptor()).build());
  }

  static Duration seconds(long s) {
    return Duration.newBuilder().setSeconds(s).build();
  }

  @Test
  void scalarRulesOnAWrapper_applyToTheWrappedValue_onlyWhenSet() {
    Descriptor type = TestTypes.message()
        .message("weight", "google.protobuf.UInt32Value", rules().setUint32(UInt32Rules.newBuilder().setGte(1)))
        .message("host", "google.protobuf.StringValue", rules()
            .setString(StringRules.newBuilder().setMinLen(1))
            .setMessage(MessageRules.newBuilder().setRequired(true)))
        .build();

    assertThat(check(with(type, "host", StringValue.of("h")))).isEmpty();
    assertThat(check(with(type, "weight", UInt32Value.of(0), "host", StringValue.of("")))).containsExactly(
        new Violation("weight", "must be greater than or equal to 1 (uint32.gte)"),
        new Violation("host", "must be at least 1 characters (string.min_len)"));
    assertThat(check(with(type))).containsExactly(new Violation("host", "is required (message.required)"));
  }

  @Test
  void durationRules_requiredBoundsAndSets() {
    Descriptor type = TestTypes.message()
        .message("timeout", "google.protobuf.Duration", rules().setDuration(DurationRules.newBuilder()
            .setRequired(true).setGt(Duration.getDefaultInstance()).setLte(seconds(60))))
        .message("period", "google.protobuf.Duration", rules().setDuration(DurationRules.newBuilder()
            .addIn(seconds(1)).addIn(seconds(5)).addNotIn(seconds(5))))
        .message("fixed", "google.protobuf.Duration", rules().setDuration(DurationRules.newBuilder()
            .setConst(Duration.newBuilder().setNanos(500_000_000))))
        .build();

    assertThat(check(with(type))).containsExactly(new Violation("timeout", "is required (duration.required)"));
    assertThat(check(with(type, "timeout", seconds(61), "period", seconds(2), "fixed", seconds(1)))).containsExactly(
        new Violation("timeout", "must be inside range (0s, 60s] (duration.gt, duration.lte)"),
        new Violation("period", "must be one of [1s, 5s] (duration.in)"),
        new Violation("fixed", "must equal 0.500s (duration.const)"));
    assertThat(check(with(type, "timeout", seconds(1), "period", seconds(5)))).containsExactly(
        new Violation("period", "must not be one of [5s] (duration.not_in)"));
    assertThat(check(with(type, "timeout", Duration.newBuilder().setSeconds(1).setNanos(-1).build())))
        .containsExactly(new Violation("timeout", "must be a valid duration (duration)"));
  }

  @Test
  void timestampRules_requiredAndBounds() {
    Timestamp epoch2020 = Timestamp.newBuilder().setSeconds(1_577_836_800).build();
    Descriptor type = TestTypes.message()
        .message("at", "google.protobuf.Timestamp",
            rules().setTimestamp(TimestampRules.newBuilder().setRequired(true).setGte(epoch2020)))
        .build();

    assertThat(check(with(type))).containsExactly(new Violation("at", "is required (timestamp.required)"));
    assertThat(check(with(type, "at", Timestamp.newBuilder().setSeconds(0).build()))).containsExactly(
        new Violation("at", "must be greater than or equal to 2020-01-01T00:00:00Z (timestamp.gte)"));
    assertThat(check(with(type, "at", epoch2020))).isEmpty();
  }

  @Test
  void anyRules_requiredInAndNotIn_thenThePayloadIsChecked() {
    Descriptor type = TestTypes.message()
        .message("config", "google.protobuf.Any",
            rules().setAny(AnyRules.newBuilder().setRequired(true).addIn(PERCENT_URL)))
        .message("other", "google.protobuf.Any", rules().setAny(AnyRules.newBuilder().addNotIn(PERCENT_URL)))
        .build();
    Any badPercent = Any.pack(Percent.newBuilder().setValue(-1).build());

    assertThat(check(with(type))).containsExactly(new Violation("config", "is required (any.required)"));
    assertThat(check(with(type, "config", Any.pack(StringValue.of("x")), "other", badPercent))).containsExactly(
        new Violation("config", "type URL must be one of [\"" + PERCENT_URL + "\"] (any.in)"),
        new Violation("other", "type URL must not be one of [\"" + PERCENT_URL + "\"] (any.not_in)"),
        new Violation("other(envoy.type.v3.Percent).value",
            "must be inside range [0.0, 100.0] (double.gte, double.lte)"));
  }

  @Test
  void rulesOfTheWrongKind_becomeAViolationInsteadOfAnException() {
    Descriptor type = TestTypes.message()
        .scalar("port", Type.TYPE_UINT32, rules().setString(StringRules.newBuilder().setMinLen(1)))
        .build();

    assertThat(check(with(type, "port", 80))).containsExactly(
        new Violation("port", "cannot apply string rules to a field of type uint32 (string)"));
  }
}
