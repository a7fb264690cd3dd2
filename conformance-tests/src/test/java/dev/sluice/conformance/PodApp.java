package dev.sluice.conformance;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * The app of a {@link PodNamespace}, unaware of any proxy: {@code clients/pod/app_server.py} serving
 * a port, and {@code clients/pod/app_client.py} calling models in plain HTTP or gRPC (the grpcio
 * virtualenv's Python, which peers/install makes).
 */
final class PodApp {
  static final Path CLIENTS = Path.of("clients", "pod").toAbsolutePath();

  private final PodNamespace pod;
  private final Path python;

  PodApp(PodNamespace pod) {
    this.pod = pod;
    this.python = Peers.grpcioPython().orElseThrow(() -> Peers.missing("the pod's app needs grpcio"));
  }

  /** Serves {@code port} on every address of the pod, answering {@code "<name> xfcc=<caller>"}. */
  void serve(int port, String name, Path dir) {
    pod.start(List.of(python.toString(), CLIENTS.resolve("app_server.py").toString(), Integer.toString(port), name),
        dir.resolve("app.out"), dir.resolve("app.err"));
  }

  /** {@code count} calls ({@code http} or {@code grpc}) to {@code address} for {@code authority}; one answer a line. */
  List<String> call(String mode, String address, String authority, int count) {
    return pod.exec(python.toString(), CLIENTS.resolve("app_client.py").toString(), mode, address, authority,
        Integer.toString(count)).lines().toList();
  }

  /** Calls once every 300 ms until an answer passes {@code ok}; fails with the last answer and {@code context}. */
  void awaitAnswer(String mode, String address, String authority, Predicate<String> ok, Duration timeout,
      java.util.function.Supplier<String> context) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> last = List.of();
    while (System.nanoTime() < deadline) {
      last = call(mode, address, authority, 1);
      if (!last.isEmpty() && ok.test(last.get(0))) {
        return;
      }
      Thread.sleep(300);
    }
    throw new AssertionError("no answer from " + authority + " (" + address + ") within " + timeout + "; last: " + last
        + "\nsidecar log:\n" + context.get());
  }
}
