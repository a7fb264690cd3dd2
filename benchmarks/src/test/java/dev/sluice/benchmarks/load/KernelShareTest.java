package dev.sluice.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** The kernel's figures for a process, read from {@code /proc} and compared between two moments. */
class KernelShareTest {

  @Test
  void aStatLine_givesUserAndKernelTicksAndFaults_evenWithSpacesAndParenthesesInTheName() {
    String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 15000 0 7 0 2500 310 0 0 20 0 90 0 100 5000000 3000";
    assertThat(KernelShare.fromStat(stat)).isEqualTo(new KernelShare(2500, 310, 15000, 7, 0, 0));
  }

  @Test
  void aThreadsStatus_givesItsVoluntaryAndInvoluntarySwitches() {
    String status = "Name:\tjava\nState:\tS (sleeping)\nvoluntary_ctxt_switches:\t1234\nnonvoluntary_ctxt_switches:\t56\n";
    assertThat(KernelShare.switches(status)).containsExactly(1234, 56);
  }

  @Test
  void twoReadings_sayHowMuchWasTheKernelsAndHowOftenThreadsSwitched() {
    KernelShare start = new KernelShare(1000, 100, 500, 0, 10_000, 300);
    KernelShare end = new KernelShare(3800, 500, 12_845, 1, 1_244_567, 4_867);
    assertThat(end.since(start)).isEqualTo(
        "kernel 4.0 s of 32.0 s CPU; context switches 1,234,567 voluntary, 4,567 involuntary; page faults 12,345 minor, 1 major");
    assertThat(KernelShare.decode(end.encode())).isEqualTo(end);
    assertThat(end.since(KernelShare.UNKNOWN)).isEqualTo("kernel figures unknown");
    assertThat(KernelShare.decode("error unknown command kernel")).isEqualTo(KernelShare.UNKNOWN);
  }

  @Test
  void thisProcess_countsTheSwitchesOfAThreadThatParks() throws Exception {
    assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "Linux only");
    CountDownLatch parked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    KernelShare before = KernelShare.now();
    Thread parker = new Thread(() -> {
      for (int i = 0; i < 200; i++) {
        LockSupport.parkNanos(100_000); // each park blocks in a futex and switches out
      }
      parked.countDown();
      try {
        release.await(); // alive while we read: a thread's switches leave with it
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    parker.start();
    parked.await();
    KernelShare after = KernelShare.now();
    release.countDown();
    parker.join();
    assertThat(after.voluntary() - before.voluntary()).isGreaterThanOrEqualTo(190);
    assertThat(after.userTicks() + after.kernelTicks()).isGreaterThanOrEqualTo(before.userTicks() + before.kernelTicks());
  }
}
