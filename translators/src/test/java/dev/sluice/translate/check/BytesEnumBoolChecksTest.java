package dev.sluice.translate.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.TypeRegistry;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.pgv.validate.Validate.BoolRules;
import io.envoyproxy.pgv.validate.Validate.BytesRules;
import io.envoyproxy.pgv.validate.Validate.EnumRules;
import org.junit.jupiter.api.Test;

/** BytesRules, EnumRules and BoolRules. */
class BytesEnumBoolChecksTest {
  static final EnumDescriptor LB_POLICY = Cluster.LbPolicy.getDescriptor();

  static String bytes(BytesRules.Builder rules, String value) {
    return BytesChecks.compile(rules.build(), "bytes").failure(ByteString.copyFromUtf8(value));
  }

  static String enumValue(EnumRules.Builder rules, int number) {
    return EnumChecks.compile(rules.build(), "enum", LB_POLICY)
        .failure(LB_POLICY.findValueByNumberCreatingIfUnknown(number));
  }

  @Test
  void bytesLengthsAffixesAndSets() {
    assertThat(bytes(BytesRules.newBuilder().setLen(2), "abc")).isEqualTo("must be exactly 2 bytes (bytes.len)");
    assertThat(bytes(BytesRules.newBuilder().setMinLen(4), "abc"))
        .isEqualTo("must be at least 4 bytes (bytes.min_len)");
    assertThat(bytes(BytesRules.newBuilder().setMaxLen(2), "abc")).isEqualTo("must be at most 2 bytes (bytes.max_len)");
    assertThat(bytes(BytesRules.newBuilder().setConst(ByteString.copyFromUtf8("x")), "y"))
        .isEqualTo("must equal \"x\" (bytes.const)");
    assertThat(bytes(BytesRules.newBuilder().setPrefix(ByteString.copyFromUtf8("ab")), "abc")).isNull();
    assertThat(bytes(BytesRules.newBuilder().setSuffix(ByteString.copyFromUtf8("x")), "abc")).isNotNull();
    assertThat(bytes(BytesRules.newBuilder().setContains(ByteString.copyFromUtf8("bc")), "abc")).isNull();
    assertThat(bytes(BytesRules.newBuilder().setContains(ByteString.copyFromUtf8("cb")), "abc"))
        .isEqualTo("must contain \"cb\" (bytes.contains)");
    assertThat(bytes(BytesRules.newBuilder().addIn(ByteString.copyFromUtf8("a")), "b")).isNotNull();
    assertThat(bytes(BytesRules.newBuilder().addNotIn(ByteString.copyFromUtf8("a")), "a")).isNotNull();
    assertThat(bytes(BytesRules.newBuilder().setPattern("^a+$"), "aaa")).isNull();
    assertThat(bytes(BytesRules.newBuilder().setMinLen(4).setIgnoreEmpty(true), "")).isNull();
  }

  @Test
  void bytesIpKinds_checkThePackedLength() {
    assertThat(bytes(BytesRules.newBuilder().setIpv4(true), "abcd")).isNull();
    assertThat(bytes(BytesRules.newBuilder().setIpv6(true), "abcd"))
        .isEqualTo("must be an IPv6 address of 16 bytes (bytes.ipv6)");
    assertThat(bytes(BytesRules.newBuilder().setIp(true), "abc")).isNotNull();
  }

  @Test
  void enumDefinedOnly_rejectsANumberTheProtoNeverDeclared() {
    assertThat(enumValue(EnumRules.newBuilder().setDefinedOnly(true), 1)).isNull();
    assertThat(enumValue(EnumRules.newBuilder().setDefinedOnly(true), 99))
        .isEqualTo("must be one of the values LbPolicy defines (enum.defined_only)");
  }

  @Test
  void enumConstInAndNotIn_showNamesAndNumbers() {
    assertThat(enumValue(EnumRules.newBuilder().setConst(0), 1)).isEqualTo("must equal ROUND_ROBIN (0) (enum.const)");
    assertThat(enumValue(EnumRules.newBuilder().addIn(0).addIn(1), 3))
        .isEqualTo("must be one of [ROUND_ROBIN (0), LEAST_REQUEST (1)] (enum.in)");
    assertThat(enumValue(EnumRules.newBuilder().addNotIn(1), 1))
        .isEqualTo("must not be one of [LEAST_REQUEST (1)] (enum.not_in)");
  }

  @Test
  void clusterWithAnUndeclaredLbPolicy_isReportedOnTheResource() {
    Cluster cluster = Cluster.newBuilder().setName("c").setLbPolicyValue(99).build();

    assertThat(ProtoRules.check(cluster, TypeRegistry.getEmptyTypeRegistry())).containsExactly(
        new Violation("lb_policy", "must be one of the values LbPolicy defines (enum.defined_only)"));
  }

  @Test
  void boolConst() {
    Rule mustBeTrue = EnumChecks.bool(BoolRules.newBuilder().setConst(true).build(), "bool");

    assertThat(mustBeTrue.failure(false)).isEqualTo("must be true (bool.const)");
    assertThat(mustBeTrue.failure(true)).isNull();
  }
}
