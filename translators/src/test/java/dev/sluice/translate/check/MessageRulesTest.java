package dev.sluice.translate.check;

import static dev.sluice.translate.check.TestTypes.SELF;
import static dev.sluice.translate.check.TestTypes.rules;
import static dev.sluice.translate.check.TestTypes.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Message;
import com.google.protobuf.TypeRegistry;
import io.envoyproxy.pgv.validate.Validate;
import io.envoyproxy.pgv.validate.Validate.MessageRules;
import io.envoyproxy.pgv.validate.Validate.StringRules;
import io.envoyproxy.pgv.validate.Validate.UInt32Rules;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Presence, required, skip, oneofs and disabled messages: when PGV checks a field at all. */
class MessageRulesTest {
  static final Validate.FieldRules.Builder NAME_RULES = rules().setString(StringRules.newBuilder().setMinLen(1));

  static List<Violation> check(Message message) {
    return ProtoRules.check(message, TypeRegistry.getEmptyTypeRegistry());
  }

  @Test
  void requiredMessage_isReportedWhenUnset_andCheckedInsideWhenSet() {
    Descriptor type = TestTypes.message()
        .scalar("name", Type.TYPE_STRING, NAME_RULES.clone())
        .message("child", SELF, rules().setMessage(MessageRules.newBuilder().setRequired(true)))
        .build();
    Message leaf = with(type, "name", "leaf", "child", with(type, "name", ""));

    assertThat(check(with(type, "name", "root")))
        .containsExactly(new Violation("child", "is required (message.required)"));
    assertThat(check(with(type, "name", "root", "child", leaf))).containsExactly(
        new Violation("child.child.name", "must be at least 1 characters (string.min_len)"),
        new Violation("child.child.child", "is required (message.required)"));
  }

  @Test
  void messageWithoutRulesOfItsOwn_isStillDescendedInto() {
    Descriptor type = TestTypes.message()
        .scalar("name", Type.TYPE_STRING, NAME_RULES.clone())
        .message("child", SELF, rules())
        .build();

    assertThat(check(with(type, "name", "a", "child", with(type, "name", ""))))
        .containsExactly(new Violation("child.name", "must be at least 1 characters (string.min_len)"));
  }

  @Test
  void skip_stopsTheWalkAtThatField() {
    Descriptor type = TestTypes.message()
        .scalar("name", Type.TYPE_STRING, NAME_RULES.clone())
        .message("child", SELF, rules().setMessage(MessageRules.newBuilder().setSkip(true)))
        .build();

    assertThat(check(with(type, "name", "a", "child", with(type, "name", "")))).isEmpty();
  }

  @Test
  void requiredOneof_withNoMemberSet_isReportedByOneofName() {
    Descriptor type = TestTypes.message().oneof("target", true, "cluster", "header").build();

    assertThat(check(with(type)))
        .containsExactly(new Violation("target", "must have one of its fields set (oneof.required)"));
    assertThat(check(with(type, "header", "x"))).isEmpty();
  }

  @Test
  void rulesOnAOneofMember_applyOnlyWhenThatMemberIsSet() {
    Descriptor type = TestTypes.message()
        .oneof("target", false)
        .oneofMember("target", "cluster", Type.TYPE_STRING, null, NAME_RULES.clone())
        .oneofMember("target", "weight", Type.TYPE_UINT32, null,
            rules().setUint32(UInt32Rules.newBuilder().setGte(1)))
        .oneofMember("target", "child", Type.TYPE_MESSAGE, SELF,
            rules().setMessage(MessageRules.newBuilder().setRequired(true)))
        .build();

    assertThat(check(with(type))).isEmpty();
    assertThat(check(with(type, "weight", 5))).isEmpty();
    assertThat(check(with(type, "weight", 0)))
        .containsExactly(new Violation("weight", "must be greater than or equal to 1 (uint32.gte)"));
  }

  @Test
  void membersOfTwoInterleavedOneofs_areEachCheckedAgainstTheirOwnOneof() {
    UInt32Rules atLeastOne = UInt32Rules.newBuilder().setGte(1).build();
    Descriptor type = TestTypes.message()
        .oneof("first", false)
        .oneof("second", false)
        .oneofMember("first", "a", Type.TYPE_UINT32, null, rules().setUint32(atLeastOne))
        .oneofMember("second", "b", Type.TYPE_UINT32, null, rules().setUint32(atLeastOne))
        .oneofMember("first", "c", Type.TYPE_UINT32, null, rules().setUint32(atLeastOne))
        .oneofMember("second", "d", Type.TYPE_UINT32, null, rules().setUint32(atLeastOne))
        .build();

    assertThat(check(with(type, "c", 0, "b", 0))).containsExactly(
        new Violation("b", "must be greater than or equal to 1 (uint32.gte)"),
        new Violation("c", "must be greater than or equal to 1 (uint32.gte)"));
    assertThat(check(with(type, "a", 0, "d", 1)))
        .containsExactly(new Violation("a", "must be greater than or equal to 1 (uint32.gte)"));
  }

  @Test
  void recursiveTypeWithoutRulesAnywhere_isLeftOffThePlan() {
    Descriptor type = TestTypes.message()
        .scalar("name", Type.TYPE_STRING, rules())
        .message("child", SELF, rules())
        .repeatedMessage("children", SELF, rules())
        .build();

    assertThat(RuleReach.mayHoldRules(type)).isFalse();
    assertThat(MessagePlan.of(type).fields()).isEmpty();
    assertThat(check(with(type, "child", with(type, "child", with(type))))).isEmpty();
  }

  @Test
  void anyField_staysOnThePlan_whereAWellKnownTypeWithoutRulesDoesNot() {
    Descriptor type = TestTypes.message()
        .message("packed", "google.protobuf.Any", rules())
        .message("wrapped", "google.protobuf.UInt32Value", rules())
        .build();

    assertThat(MessagePlan.of(type).fields()).extracting(f -> f.field().getName()).containsExactly("packed");
  }

  @Test
  void plainProto3Scalar_isCheckedAtItsDefault_butProto3OptionalOnlyWhenSet() {
    UInt32Rules atLeastOne = UInt32Rules.newBuilder().setGte(1).build();
    Descriptor type = TestTypes.message()
        .scalar("plain", Type.TYPE_UINT32, rules().setUint32(atLeastOne))
        .optional("chosen", Type.TYPE_UINT32, rules().setUint32(atLeastOne))
        .build();

    assertThat(check(with(type)))
        .containsExactly(new Violation("plain", "must be greater than or equal to 1 (uint32.gte)"));
    assertThat(check(with(type, "plain", 1, "chosen", 0)))
        .containsExactly(new Violation("chosen", "must be greater than or equal to 1 (uint32.gte)"));
  }

  @Test
  void disabledOrIgnoredMessage_isNotCheckedNorAnythingUnderIt() {
    for (var option : List.of(Validate.disabled, Validate.ignored)) {
      Descriptor type = TestTypes.message()
          .scalar("name", Type.TYPE_STRING, NAME_RULES.clone())
          .message("child", SELF, rules().setMessage(MessageRules.newBuilder().setRequired(true)))
          .options(MessageOptions.newBuilder().setExtension(option, true))
          .build();

      assertThat(check(with(type, "name", ""))).as(option.getDescriptor().getName()).isEmpty();
    }
  }

  @Test
  void repeatedMessageElements_areDescendedIntoWithTheirIndex() {
    Descriptor type = TestTypes.message()
        .scalar("name", Type.TYPE_STRING, NAME_RULES.clone())
        .repeatedMessage("children", SELF, rules())
        .build();
    Message parent = with(type, "name", "p", "children",
        List.of(with(type, "name", "a"), with(type, "name", ""), with(type, "name", "")));

    assertThat(check(parent)).extracting(Violation::path).containsExactly("children[1].name", "children[2].name");
  }
}
