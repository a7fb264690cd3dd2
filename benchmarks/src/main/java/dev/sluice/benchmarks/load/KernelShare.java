package dev.sluice.benchmarks.load;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the kernel says about a process: the CPU time in user mode and in the kernel, its page faults
 * (from {@code /proc/self/stat}, all threads, ended ones included), and its threads' context switches
 * (from each live thread's {@code status}; a thread that ended takes its count with it). Between
 * two readings these tell apart the kinds of trouble that all look like "the process used every core
 * and got little done":
 * <ul>
 *   <li>code spinning in Java: user time, few switches;</li>
 *   <li>threads piling up on a lock: kernel time and voluntary switches by the hundred thousand (each
 *       park and wake is a futex call and a switch);</li>
 *   <li>memory trouble (page reclaim, compaction): kernel time and page faults.</li>
 * </ul>
 * Linux only; {@link #UNKNOWN} elsewhere. Text form for the load server's protocol: six numbers.
 */
record KernelShare(long userTicks, long kernelTicks, long minorFaults, long majorFaults, long voluntary,
    long involuntary) {
  static final KernelShare UNKNOWN = new KernelShare(-1, -1, -1, -1, -1, -1);
  /** Clock ticks per second of {@code /proc}'s utime and stime (USER_HZ, 100 on Linux). */
  static final double TICKS = 100.0;

  /** This process now. */
  static KernelShare now() {
    try {
      KernelShare stat = fromStat(Files.readString(Path.of("/proc/self/stat")));
      long voluntary = 0;
      long involuntary = 0;
      try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
        for (Path task : tasks) {
          try {
            long[] switches = switches(Files.readString(task.resolve("status")));
            voluntary += switches[0];
            involuntary += switches[1];
          } catch (IOException e) {
            // the thread ended while we looked
          }
        }
      }
      return new KernelShare(stat.userTicks, stat.kernelTicks, stat.minorFaults, stat.majorFaults, voluntary,
          involuntary);
    } catch (IOException | RuntimeException e) {
      return UNKNOWN;
    }
  }

  /**
   * The CPU times and page faults of a {@code /proc/<pid>/stat} or {@code /proc/<pid>/task/<tid>/stat}
   * line; no switches (those are in {@code status}).
   */
  static KernelShare fromStat(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    // after the name: state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime
    return new KernelShare(Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[7]), Long.parseLong(f[9]),
        0, 0);
  }

  /** The voluntary and involuntary context switches of a {@code /proc/<pid>/task/<tid>/status} text. */
  static long[] switches(String status) {
    long[] out = new long[2];
    for (String line : status.split("\n")) {
      if (line.startsWith("voluntary_ctxt_switches:")) {
        out[0] = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
      } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
        out[1] = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    return out;
  }

  String encode() {
    return userTicks + " " + kernelTicks + " " + minorFaults + " " + majorFaults + " " + voluntary + " " + involuntary;
  }

  static KernelShare decode(String text) {
    String[] f = text.trim().split(" ");
    if (f.length != 6) {
      return UNKNOWN;
    }
    return new KernelShare(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
        Long.parseLong(f[4]), Long.parseLong(f[5]));
  }

  /**
   * What happened between {@code start} and this, for a phase line: {@code "kernel 3.1 s of 32.3 s CPU;
   * context switches 1,234,567 voluntary, 4,567 involuntary; page faults 12,345 minor, 0 major"}.
   */
  String since(KernelShare start) {
    if (this.userTicks < 0 || start.userTicks < 0) {
      return "kernel figures unknown";
    }
    double kernel = (kernelTicks - start.kernelTicks) / TICKS;
    double all = kernel + (userTicks - start.userTicks) / TICKS;
    return String.format("kernel %.1f s of %.1f s CPU; context switches %,d voluntary, %,d involuntary; "
            + "page faults %,d minor, %,d major", kernel, all, voluntary - start.voluntary,
        involuntary - start.involuntary, minorFaults - start.minorFaults, majorFaults - start.majorFaults);
  }
}
