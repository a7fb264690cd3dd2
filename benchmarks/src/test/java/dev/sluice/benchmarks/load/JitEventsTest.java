package dev.sluice.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.function.IntUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The JVM's own work in a window, counted from this JVM's flight recorder. */
class JitEventsTest {
  static final Pattern LINE = Pattern.compile(
      "deoptimizations (\\d+)(?: \\(most: .+\\))?; compilations (\\d+), [\\d.]+ s(?: \\(most time: .+\\))?; "
          + "collection pauses (\\d+), [\\d.]+ s");

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

  @Test
  void compilationTime_isCountedByCodeBase_shadedNettyAsNetty() {
    assertThat(JitEvents.codeBase("org.springframework.web.servlet.DispatcherServlet")).isEqualTo("org.springframework");
    assertThat(JitEvents.codeBase("io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoop")).isEqualTo("io.netty");
    assertThat(JitEvents.codeBase("io.grpc.internal.MessageFramer")).isEqualTo("io.grpc");
    assertThat(JitEvents.codeBase("Main")).isEqualTo("Main");
    assertThat(JitEvents.mostTime(Map.of("java.util", 500_000_000L, "dev.sluice", 1_200_000_000L, "io.netty", 100_000_000L,
        "org.sqlite", 50_000_000L))).isEqualTo(" (most time: dev.sluice 1.2 s, java.util 0.5 s, io.netty 0.1 s)");
    assertThat(JitEvents.mostTime(Map.of())).isEmpty();
  }
}
