package dev.sluice.translate;

import com.google.protobuf.Duration;
import dev.sluice.model.Durations;

final class ProtoDurations {
  private ProtoDurations() {}

  /** A validated Go-form duration as a protobuf Duration. */
  static Duration of(String goDuration) {
    java.time.Duration d = Durations.require(goDuration);
    return Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
  }
}
