package dev.sluice.controlplane.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class FailedAuthenticationsTest {
  private Instant now = Instant.parse("2026-12-03T10:00:00Z");
  private final Clock clock = new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  };

  @Test
  void anAddress_isBlockedAfterTheLimit_untilItsWindowEnds_andOthersAreNot() {
    FailedAuthentications failures = new FailedAuthentications(3, Duration.ofMinutes(1), clock);
    for (int i = 0; i < 3; i++) {
      assertThat(failures.blockedForSeconds("10.0.0.1")).isZero();
      failures.failed("10.0.0.1");
      now = now.plusSeconds(5);
    }
    assertThat(failures.blockedForSeconds("10.0.0.1")).isEqualTo(45);
    assertThat(failures.blockedForSeconds("10.0.0.2")).isZero();
    now = now.plusSeconds(44);
    assertThat(failures.blockedForSeconds("10.0.0.1")).isEqualTo(1);
    now = now.plusSeconds(1);
    assertThat(failures.blockedForSeconds("10.0.0.1")).as("a new window").isZero();
  }

  @Test
  void failuresSpreadOverWindows_neverBlock() {
    FailedAuthentications failures = new FailedAuthentications(2, Duration.ofSeconds(10), clock);
    for (int i = 0; i < 10; i++) {
      failures.failed("10.0.0.1");
      now = now.plusSeconds(10);
      assertThat(failures.blockedForSeconds("10.0.0.1")).isZero();
    }
  }

  @Test
  void ipv6_countsPerSlash64() {
    FailedAuthentications failures = new FailedAuthentications(2, Duration.ofMinutes(1), clock);
    failures.failed("2001:db8:1:2::1");
    failures.failed("2001:db8:1:2:ffff::9");
    assertThat(failures.blockedForSeconds("2001:db8:1:2::abcd")).isPositive();
    assertThat(failures.blockedForSeconds("2001:db8:1:3::1")).isZero();
  }

  @Test
  void aFloodOfSingleFailures_doesNotFreeABlockedAddress() {
    FailedAuthentications failures = new FailedAuthentications(3, Duration.ofMinutes(1), clock);
    for (int i = 0; i < 3; i++) {
      failures.failed("10.9.9.10");
    }
    for (int i = 0; i < FailedAuthentications.MAX_ADDRESSES + 100; i++) {
      failures.failed("addr-" + i);
    }
    assertThat(failures.blockedForSeconds("10.9.9.10")).isPositive();
  }

  @Test
  void aFloodOfBlockedAddresses_keepsAtMostTheCap() {
    FailedAuthentications failures = new FailedAuthentications(1, Duration.ofHours(1), clock);
    for (int i = 0; i < FailedAuthentications.MAX_ADDRESSES + 5; i++) {
      failures.failed("addr-" + i);
    }
    assertThat(failures.blockedForSeconds("addr-0")).as("the oldest was dropped").isZero();
    assertThat(failures.blockedForSeconds("addr-" + (FailedAuthentications.MAX_ADDRESSES + 4))).isPositive();
  }
}
