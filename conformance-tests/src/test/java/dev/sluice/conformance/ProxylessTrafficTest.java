package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Real traffic through grpc-java's xDS client, routed only by what Sluice pushes. */
class ProxylessTrafficTest {
  private static final Logger log = LoggerFactory.getLogger(ProxylessTrafficTest.class);
  static final String ROUTES = "/api/v1/namespaces/ml/modelroutes/";

  @TempDir static Path store;
  static ControlPlane cp;
  static TaggedBackend v1;
  static TaggedBackend v2;

  @BeforeAll
  static void start() {
    cp = ControlPlane.start(store);
    v1 = new TaggedBackend("v1");
    v2 = new TaggedBackend("v2");
  }

  @AfterAll
  static void stop() throws InterruptedException {
    v1.close();
    v2.close();
    cp.close();
  }

  @Test
  void ninetyTenRoute_splitsTwoThousandRpcsWithinBinomialBound() throws Exception {
    assertThat(cp.put(ROUTES + "split", "application/json",
        Routes.split("split.ml", 90, v1.endpoint(), 10, v2.endpoint())).status()).isEqualTo(201);

    try (ProxylessClient client = new ProxylessClient(cp.grpcBootstrap("split-client"), "split.ml")) {
      int n = 2000;
      int onV1 = 0;
      for (int i = 0; i < n; i++) {
        if (client.call().equals("v1")) {
          onV1++;
        }
      }
      log.info("90/10 split over {} RPCs: v1 {} v2 {}", n, onV1, n - onV1);
      Binomial.assertWithin999("RPCs on v1", onV1, n, 0.9);
    }
  }

  @Test
  void weightChange_isFollowedWithinOneSecond() throws Exception {
    cp.put(ROUTES + "shift", "application/json", Routes.split("shift.ml", 90, v1.endpoint(), 10, v2.endpoint()));
    try (ProxylessClient client = new ProxylessClient(cp.grpcBootstrap("shift-client"), "shift.ml")) {
      client.call(); // configured

      long start = System.nanoTime();
      assertThat(cp.put(ROUTES + "shift/weights", "application/json", "{\"v1\": 50, \"v2\": 50}").status()).isEqualTo(200);
      // A sliding window of 50 RPCs with 15 or more on v2 is 4.7 standard deviations above 90/10
      // and 2.8 below 50/50: it marks the moment the client routes by the new weights.
      Deque<Boolean> window = new ArrayDeque<>();
      int onV2 = 0;
      long followedAfterNanos = -1;
      while (System.nanoTime() - start < 5_000_000_000L) {
        boolean isV2 = client.call().equals("v2");
        window.addLast(isV2);
        onV2 += isV2 ? 1 : 0;
        if (window.size() > 50) {
          onV2 -= window.removeFirst() ? 1 : 0;
        }
        if (window.size() == 50 && onV2 >= 15) {
          followedAfterNanos = System.nanoTime() - start;
          break;
        }
      }
      log.info("client followed the 90/10 -> 50/50 weight change after {} ms (measured from the PUT)",
          followedAfterNanos / 1_000_000);
      assertThat(followedAfterNanos).as("client never followed the change").isPositive();
      assertThat(followedAfterNanos).isLessThan(1_000_000_000L);

      int n = 2000;
      int v2Count = 0;
      for (int i = 0; i < n; i++) {
        v2Count += client.call().equals("v2") ? 1 : 0;
      }
      Binomial.assertWithin999("RPCs on v2 after the shift", v2Count, n, 0.5);
    }
  }

  @Test
  void retryPolicy_turnsThirtyPercentUnavailableIntoUnderThreePercentErrors() throws Exception {
    try (TaggedBackend flaky = new TaggedBackend("flaky")) {
      flaky.failureRate(0.3);
      cp.put(ROUTES + "flaky", "application/json", Routes.single("flaky.ml", flaky.endpoint(), null));
      try (ProxylessClient client = new ProxylessClient(cp.grpcBootstrap("flaky-client"), "flaky.ml")) {
        int n = 1000;
        int before = errors(client, n);
        log.info("without retries: {} of {} RPCs failed", before, n);
        assertThat(before).as("the backend must fail about 30 %% without retries").isGreaterThan(n / 5);

        assertThat(cp.put(ROUTES + "flaky", "application/json", Routes.single("flaky.ml", flaky.endpoint(),
            "{\"attempts\": 3, \"on\": [\"unavailable\"]}")).status()).isEqualTo(200);
        awaitFewerErrors(client);

        int after = errors(client, n);
        log.info("with 3 retries on unavailable: {} of {} RPCs failed", after, n);
        assertThat(after).isLessThan(n * 3 / 100);
      }
    }
  }

  private static int errors(ProxylessClient client, int n) {
    int errors = 0;
    for (int i = 0; i < n; i++) {
      errors += client.callOrError().startsWith("error:") ? 1 : 0;
    }
    return errors;
  }

  /** Waits until 100 RPCs in a row see at most 10 errors: the retry policy has arrived. */
  private static void awaitFewerErrors(ProxylessClient client) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (errors(client, 100) <= 10) {
        return;
      }
    }
    throw new AssertionError("the retry policy never reached the client");
  }
}
