package dev.sluice.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.IntUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The JVM's own work in a window, counted from this JVM's flight recorder. */
class JitEventsTest {
  static final Pattern LINE = Pattern.compile(
      "deoptimizations (\\d+)(?: \\(most: .+\\))?; compilations (\\d+), [\\d.]+ s; collection pauses (\\d+), [\\d.]+ s");

  @Test
  void collectionsAndCompilationsInAWindow_areCounted() throws Exception {
    try (JitEvents events = new JitEvents()) {
      Matcher m = null;
      for (int attempt = 0; attempt < 50; attempt++) { // events reach the stream about once a second
        System.gc();
        int salt = attempt;
        IntUnaryOperator fresh = x -> x * 31 + salt;
        int sum = 0;
        for (int i = 0; i < 200_000; i++) {
          sum += fresh.applyAsInt(i);
        }
        assertThat(sum).isNotNull();
        Thread.sleep(200);
        m = LINE.matcher(events.window());
        assertThat(m.matches()).as(m.toString()).isTrue();
        if (Long.parseLong(m.group(3)) > 0 && Long.parseLong(m.group(2)) > 0) {
          break;
        }
      }
      assertThat(Long.parseLong(m.group(3))).as("collection pauses").isPositive();
      assertThat(Long.parseLong(m.group(2))).as("compilations").isPositive();
    }
  }
}
