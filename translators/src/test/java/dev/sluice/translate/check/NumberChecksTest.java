package dev.sluice.translate.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.FieldDescriptor.Type;
import com.google.protobuf.Message;
import io.envoyproxy.pgv.validate.Validate.DoubleRules;
import io.envoyproxy.pgv.validate.Validate.Fixed32Rules;
import io.envoyproxy.pgv.validate.Validate.FloatRules;
import io.envoyproxy.pgv.validate.Validate.Int32Rules;
import io.envoyproxy.pgv.validate.Validate.Int64Rules;
import io.envoyproxy.pgv.validate.Validate.SInt64Rules;
import io.envoyproxy.pgv.validate.Validate.UInt32Rules;
import io.envoyproxy.pgv.validate.Validate.UInt64Rules;
import org.junit.jupiter.api.Test;

/** const, ranges, in and not_in across the number types, compared as PGV compares them. */
class NumberChecksTest {

  static Rule compile(Message rules, Type type) {
    return NumberChecks.compile(rules, type.name().toLowerCase(), Order.of(type));
  }

  @Test
  void singleBounds_nameTheirRule() {
    assertThat(compile(Int32Rules.newBuilder().setGt(0).build(), Type.INT32).failure(0))
        .isEqualTo("must be greater than 0 (int32.gt)");
    assertThat(compile(Int32Rules.newBuilder().setGte(1).build(), Type.INT32).failure(0))
        .isEqualTo("must be greater than or equal to 1 (int32.gte)");
    assertThat(compile(Int32Rules.newBuilder().setLt(10).build(), Type.INT32).failure(10))
        .isEqualTo("must be less than 10 (int32.lt)");
    assertThat(compile(Int32Rules.newBuilder().setLte(10).build(), Type.INT32).failure(11))
        .isEqualTo("must be less than or equal to 10 (int32.lte)");
    assertThat(compile(Int32Rules.newBuilder().setLte(10).build(), Type.INT32).failure(10)).isNull();
  }

  @Test
  void lowerBelowUpper_meansInsideTheRange() {
    Rule rule = compile(Int64Rules.newBuilder().setGt(0).setLte(10).build(), Type.INT64);

    assertThat(rule.failure(0L)).isEqualTo("must be inside range (0, 10] (int64.gt, int64.lte)");
    assertThat(rule.failure(1L)).isNull();
    assertThat(rule.failure(10L)).isNull();
    assertThat(rule.failure(11L)).isNotNull();
  }

  @Test
  void lowerAboveUpper_meansOutsideTheRangeBetweenThem() {
    Rule rule = compile(SInt64Rules.newBuilder().setGt(20).setLt(10).build(), Type.SINT64);

    assertThat(rule.failure(10L)).isEqualTo("must be outside range [10, 20] (sint64.gt, sint64.lt)");
    assertThat(rule.failure(20L)).isNotNull();
    assertThat(rule.failure(9L)).isNull();
    assertThat(rule.failure(21L)).isNull();
    Rule halfOpen = compile(SInt64Rules.newBuilder().setGte(20).setLte(10).build(), Type.SINT64);
    assertThat(halfOpen.failure(15L)).isEqualTo("must be outside range (10, 20) (sint64.gte, sint64.lte)");
    assertThat(halfOpen.failure(10L)).isNull();
    assertThat(halfOpen.failure(20L)).isNull();
  }

  @Test
  void unsignedTypes_compareAboveTheSignedMaximum() {
    Rule uint32 = compile(UInt32Rules.newBuilder().setLte(100).build(), Type.UINT32);
    Rule fixed32 = compile(Fixed32Rules.newBuilder().setGt(1).build(), Type.FIXED32);
    Rule uint64 = compile(UInt64Rules.newBuilder().setLt(-1L).build(), Type.UINT64);

    assertThat(uint32.failure(-1)).isEqualTo("must be less than or equal to 100 (uint32.lte)");
    assertThat(fixed32.failure(-1)).isNull();
    assertThat(uint64.failure(Long.MAX_VALUE + 1)).isNull();
    assertThat(uint64.failure(-1L)).isEqualTo("must be less than 18446744073709551615 (uint64.lt)");
  }

  @Test
  void constInAndNotIn() {
    assertThat(compile(UInt32Rules.newBuilder().setConst(7).build(), Type.UINT32).failure(8))
        .isEqualTo("must equal 7 (uint32.const)");
    Rule in = compile(Int32Rules.newBuilder().addIn(1).addIn(2).build(), Type.INT32);
    assertThat(in.failure(3)).isEqualTo("must be one of [1, 2] (int32.in)");
    assertThat(in.failure(2)).isNull();
    Rule notIn = compile(Int32Rules.newBuilder().addNotIn(0).build(), Type.INT32);
    assertThat(notIn.failure(0)).isEqualTo("must not be one of [0] (int32.not_in)");
  }

  @Test
  void ignoreEmpty_skipsZero() {
    Rule rule = compile(UInt32Rules.newBuilder().setGte(1024).setIgnoreEmpty(true).build(), Type.UINT32);

    assertThat(rule.failure(0)).isNull();
    assertThat(rule.failure(80)).isEqualTo("must be greater than or equal to 1024 (uint32.gte)");
  }

  @Test
  void reals_treatNegativeZeroAsZero_andNaNAsOutOfEveryBound() {
    Rule percent = compile(DoubleRules.newBuilder().setGte(0).setLte(100).build(), Type.DOUBLE);
    Rule positive = compile(FloatRules.newBuilder().setGt(0).build(), Type.FLOAT);

    assertThat(percent.failure(-0.0)).isNull();
    assertThat(percent.failure(Double.NaN)).isEqualTo("must be inside range [0.0, 100.0] (double.gte, double.lte)");
    assertThat(positive.failure(Float.NaN)).isEqualTo("must be greater than 0.0 (float.gt)");
    assertThat(positive.failure(0.5f)).isNull();
  }

  @Test
  void firstFailingRuleWins_likePgv() {
    Rule rule = compile(Int32Rules.newBuilder().setConst(5).setGt(10).build(), Type.INT32);

    assertThat(rule.failure(1)).isEqualTo("must equal 5 (int32.const)");
  }
}
