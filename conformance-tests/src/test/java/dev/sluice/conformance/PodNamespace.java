package dev.sluice.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace standing in for a pod (no kubelet here): its own loopback, interfaces and
 * iptables, joined to this machine by a veth pair, {@code 10.250.<n>.1} on the host side and
 * {@code 10.250.<n>.2} in the pod, with the host as the pod's default route. Programs run inside
 * with {@code ip netns exec}, which also gives them a mount namespace of their own, so a bind
 * mount made there (a projected token's path) stays there.
 *
 * <p>Needs root, iptables and {@code ip} (iproute2); {@link #unavailable()} says what is missing.
 */
final class PodNamespace implements AutoCloseable {
  private final String name;
  private final String hostLink;
  private final int subnet;
  private final List<Process> processes = new ArrayList<>();

  private PodNamespace(String name, String hostLink, int subnet) {
    this.name = name;
    this.hostLink = hostLink;
    this.subnet = subnet;
  }

  /** Why pods cannot be made here, if they cannot. */
  static Optional<String> unavailable() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return Optional.of("network namespaces need root; running as " + System.getProperty("user.name"));
    }
    for (String tool : List.of("ip", "iptables", "setpriv")) {
      if (Peers.onPath(tool).isEmpty()) {
        return Optional.of(tool + " is not on the PATH");
      }
    }
    return Optional.empty();
  }

  /** What a command printed (standard output and error together) and how it ended. */
  record Result(List<String> command, int exit, String out) {
    boolean ok() {
      return exit == 0;
    }
  }

  /** A network namespace with nothing in it but its loopback (down): for iptables alone. */
  static PodNamespace bare(String name) {
    host(true, "ip", "netns", "del", name); // left over from a run that was killed
    host(false, "ip", "netns", "add", name);
    return new PodNamespace(name, null, 0);
  }

  /** A new pod; {@code subnet} (1 to 254) picks its addresses, distinct per pod alive at once. */
  static PodNamespace create(String name, int subnet) {
    String hostLink = "slh" + subnet;
    PodNamespace pod = new PodNamespace(name, hostLink, subnet);
    // Left over from a run that was killed: start clean.
    host(true, "ip", "netns", "del", name);
    host(true, "ip", "link", "del", hostLink);
    host(false, "ip", "netns", "add", name);
    host(false, "ip", "link", "add", hostLink, "type", "veth", "peer", "name", "eth0", "netns", name);
    host(false, "ip", "addr", "add", pod.hostIp() + "/30", "dev", hostLink);
    host(false, "ip", "link", "set", hostLink, "up");
    pod.exec("ip", "link", "set", "lo", "up");
    pod.exec("ip", "addr", "add", pod.podIp() + "/30", "dev", "eth0");
    pod.exec("ip", "link", "set", "eth0", "up");
    pod.exec("ip", "route", "add", "default", "via", pod.hostIp());
    return pod;
  }

  String hostIp() {
    return "10.250." + subnet + ".1";
  }

  String podIp() {
    return "10.250." + subnet + ".2";
  }

  /** Runs a command in the pod to its end; fails with its output unless it exits 0. */
  String exec(String... command) {
    return run(false, inside(List.of(command)));
  }

  /** Runs a command in the pod to its end and returns its output, whatever its exit code. */
  String execMayFail(String... command) {
    return runToEnd(inside(List.of(command))).out();
  }

  /** Runs a command in the pod to its end; its output and exit code. */
  Result attempt(List<String> command) {
    return runToEnd(inside(command));
  }

  /** Starts a long-running program in the pod, output to the given files; stopped by {@link #close()}. */
  Process start(List<String> command, Path stdout, Path stderr) {
    try {
      Process p = new ProcessBuilder(inside(command)).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
      processes.add(p);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<String> inside(List<String> command) {
    List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", name));
    all.addAll(command);
    return all;
  }

  @Override
  public void close() {
    for (Process p : processes) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    host(true, "ip", "netns", "del", name);
    if (hostLink != null) {
      host(true, "ip", "link", "del", hostLink);
    }
  }

  private static String host(boolean mayFail, String... command) {
    return run(mayFail, List.of(command));
  }

  private static String run(boolean mayFail, List<String> command) {
    Result r = runToEnd(command);
    if (!r.ok() && !mayFail) {
      throw new IllegalStateException(String.join(" ", command) + " exited " + r.exit() + ": " + r.out());
    }
    return r.out();
  }

  private static Result runToEnd(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not end within 30 s");
      }
      return new Result(List.copyOf(command), p.exitValue(), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
