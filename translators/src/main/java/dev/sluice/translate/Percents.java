package dev.sluice.translate;

import io.envoyproxy.envoy.config.core.v3.RuntimeFractionalPercent;
import io.envoyproxy.envoy.type.v3.FractionalPercent;

/** Percents of the model (0..100, four decimals) as Envoy fractions per million. */
final class Percents {
  private Percents() {}

  static FractionalPercent perMillion(double percent) {
    return FractionalPercent.newBuilder()
        .setNumerator(Math.toIntExact(Math.round(percent * 10_000)))
        .setDenominator(FractionalPercent.DenominatorType.MILLION)
        .build();
  }

  /** A fraction with no runtime key: the value is exactly what the ModelRoute says. */
  static RuntimeFractionalPercent runtimeFraction(double percent) {
    return RuntimeFractionalPercent.newBuilder().setDefaultValue(perMillion(percent)).build();
  }
}
