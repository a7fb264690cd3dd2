package dev.sluice.translate.check;

import static dev.sluice.translate.check.TestTypes.SELF;
import static dev.sluice.translate.check.TestTypes.rules;
import static dev.sluice.translate.check.TestTypes.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import com.google.protobuf.TypeRegistry;
import io.envoyproxy.pgv.validate.Validate.FieldRules;
import io.envoyproxy.pgv.validate.Validate.MapRules;
import io.envoyproxy.pgv.validate.Validate.RepeatedRules;
import io.envoyproxy.pgv.validate.Validate.StringRules;
import io.envoyproxy.pgv.validate.Validate.UInt32Rules;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Repeated and map rules: sizes, unique, and per-element rules with their paths. */
class CollectionRulesTest {
  static final FieldRules NON_EMPTY = rules().setString(StringRules.newBuilder().setMinLen(1)).build();

  static List<Violation> check(Message message) {
    return ProtoRules.check(message, TypeRegistry.getEmptyTypeRegistry());
  }

  static Message withMap(Descriptor type, String field, Map<String, ?> entries) {
    var mapField = type.findFieldByName(field);
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
    entries.forEach((k, v) -> builder.addRepeatedField(mapField, DynamicMessage.newBuilder(mapField.getMessageType())
        .setField(mapField.getMessageType().findFieldByName("key"), k)
        .setField(mapField.getMessageType().findFieldByName("value"), v)
        .build()));
    return builder.build();
  }

  @Test
  void itemCounts_minAndMax_andIgnoreEmpty() {
    Descriptor type = TestTypes.message()
        .repeated("tags", Type.TYPE_STRING,
            rules().setRepeated(RepeatedRules.newBuilder().setMinItems(1).setMaxItems(2)))
        .repeated("maybe", Type.TYPE_STRING,
            rules().setRepeated(RepeatedRules.newBuilder().setMinItems(2).setIgnoreEmpty(true)))
        .build();

    assertThat(check(with(type))).containsExactly(
        new Violation("tags", "must contain at least 1 item(s) (repeated.min_items)"));
    assertThat(check(with(type, "tags", List.of("a", "b", "c"), "maybe", List.of("x")))).containsExactly(
        new Violation("tags", "must contain at most 2 item(s) (repeated.max_items)"),
        new Violation("maybe", "must contain at least 2 item(s) (repeated.min_items)"));
  }

  @Test
  void unique_reportsEachRepeatAtItsIndex() {
    Descriptor type = TestTypes.message()
        .repeated("codes", Type.TYPE_UINT32, rules().setRepeated(RepeatedRules.newBuilder().setUnique(true)))
        .build();

    assertThat(check(with(type, "codes", List.of(500, 503, 500, 500)))).containsExactly(
        new Violation("codes[2]", "must not repeat an earlier item (repeated.unique)"),
        new Violation("codes[3]", "must not repeat an earlier item (repeated.unique)"));
  }

  @Test
  void itemRules_applyToEachElement() {
    Descriptor type = TestTypes.message()
        .repeated("codes", Type.TYPE_UINT32, rules().setRepeated(RepeatedRules.newBuilder()
            .setItems(rules().setUint32(UInt32Rules.newBuilder().setGte(100).setLt(600)))))
        .build();

    String outOfRange = "must be inside range [100, 600) (repeated.items.uint32.gte, repeated.items.uint32.lt)";

    assertThat(check(with(type, "codes", List.of(200, 99, 600)))).containsExactly(
        new Violation("codes[1]", outOfRange), new Violation("codes[2]", outOfRange));
  }

  @Test
  void mapPairs_keys_andValues_reportWithTheQuotedKey() {
    Descriptor type = TestTypes.message()
        .map("labels", Type.TYPE_STRING, Type.TYPE_STRING, null, rules().setMap(MapRules.newBuilder()
            .setMaxPairs(2).setKeys(NON_EMPTY).setValues(rules().setString(StringRules.newBuilder().setMaxLen(3)))))
        .build();

    assertThat(check(withMap(type, "labels", Map.of("", "ok")))).containsExactly(
        new Violation("labels[\"\"]", "must be at least 1 characters (map.keys.string.min_len)"));
    assertThat(check(withMap(type, "labels", Map.of("team", "platform")))).containsExactly(
        new Violation("labels[\"team\"]", "must be at most 3 characters (map.values.string.max_len)"));
    assertThat(check(withMap(type, "labels", Map.of("a", "1", "b", "2", "c", "3")))).containsExactly(
        new Violation("labels", "must contain at most 2 pair(s) (map.max_pairs)"));
  }

  @Test
  void mapMinPairs_honoursIgnoreEmpty() {
    Descriptor strict = TestTypes.message()
        .map("labels", Type.TYPE_STRING, Type.TYPE_STRING, null, rules().setMap(MapRules.newBuilder().setMinPairs(1)))
        .build();
    Descriptor lenient = TestTypes.message()
        .map("labels", Type.TYPE_STRING, Type.TYPE_STRING, null,
            rules().setMap(MapRules.newBuilder().setMinPairs(1).setIgnoreEmpty(true)))
        .build();

    assertThat(check(with(strict))).containsExactly(
        new Violation("labels", "must contain at least 1 pair(s) (map.min_pairs)"));
    assertThat(check(with(lenient))).isEmpty();
  }

  @Test
  void mapMessageValues_areDescendedInto() {
    Descriptor type = TestTypes.message()
        .scalar("name", Type.TYPE_STRING, rules().mergeFrom(NON_EMPTY))
        .map("children", Type.TYPE_STRING, Type.TYPE_MESSAGE, SELF, rules())
        .build();

    assertThat(check(withMap(type, "children", Map.of("bad", with(type, "name", ""))))).containsExactly(
        new Violation("name", "must be at least 1 characters (string.min_len)"),
        new Violation("children[\"bad\"].name", "must be at least 1 characters (string.min_len)"));
  }

  @Test
  void mapEntryWithoutAValue_isCheckedAsTheDefaultInstance_soNoSparseCannotApply() {
    Descriptor type = TestTypes.message()
        .scalar("name", Type.TYPE_STRING, rules().mergeFrom(NON_EMPTY))
        .map("children", Type.TYPE_STRING, Type.TYPE_MESSAGE, SELF,
            rules().setMap(MapRules.newBuilder().setNoSparse(true)))
        .build();
    var children = type.findFieldByName("children");
    Message sparse = DynamicMessage.newBuilder(type)
        .setField(type.findFieldByName("name"), "root")
        .addRepeatedField(children, DynamicMessage.newBuilder(children.getMessageType())
            .setField(children.getMessageType().findFieldByName("key"), "empty").build())
        .build();

    assertThat(check(sparse)).containsExactly(
        new Violation("children[\"empty\"].name", "must be at least 1 characters (string.min_len)"));
  }

  @Test
  void rulesOfTheWrongKindOnARepeatedField_becomeAViolation() {
    Descriptor type = TestTypes.message().repeated("tags", Type.TYPE_STRING, rules().mergeFrom(NON_EMPTY)).build();

    assertThat(check(with(type))).containsExactly(
        new Violation("tags", "cannot apply string rules to a repeated field (string)"));
  }
}
