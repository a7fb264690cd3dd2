package dev.sluice.benchmarks.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@link LoadServer} in its own JVM (or floor (c), {@link GoFloor}, in its own Go process), driven line by line. */
final class ServerProcess implements AutoCloseable {
  private final Process process;
  private final BufferedReader out;
  private final Writer in;
  private final int xdsPort;

  private ServerProcess(Process process) throws IOException {
    this.process = process;
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    this.xdsPort = Integer.parseInt(answer().replace("ready ", ""));
  }

  /**
   * Starts a server of this kind ({@code sluice}, {@code floor-a}, {@code floor-b}; or {@code sluice-k8s}
   * with {@code more} its kubeconfig) on the same JVM as this one; extra JVM options (a JFR
   * recording, say) come from {@code -Dload.server.jvm}. {@code floor-c} is the Go program instead.
   */
  static ServerProcess start(String kind, int routes, int debounceMs, String... more) throws IOException {
    if (kind.equals("floor-c")) {
      try {
        return new ServerProcess(GoFloor.start(routes));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("building floor (c)");
      }
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx6g"));
    String extra = System.getProperty("load.server.jvm", "").trim();
    if (!extra.isEmpty()) {
      command.addAll(List.of(extra.split("\\s+")));
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), LoadServer.class.getName(), kind,
        Integer.toString(routes), Integer.toString(debounceMs)));
    command.addAll(List.of(more));
    return new ServerProcess(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
  }

  int xdsPort() {
    return xdsPort;
  }

  /**
   * How proxies reach this server: its plaintext xDS port, or with {@code tls} Sluice's TLS port, each
   * proxy with a bootstrap token of its own, minted by the server when the proxy first connects.
   */
  Connector connector(boolean tls) throws IOException {
    if (!tls) {
      return Connector.plaintext(xdsPort);
    }
    return Connector.tls(call("secure"), nodeId -> {
      try {
        return call("token " + nodeId);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  synchronized String call(String command) throws IOException {
    in.write(command + "\n");
    in.flush();
    return answer();
  }

  long callLong(String command) throws IOException {
    return Long.parseLong(call(command));
  }

  /** Asks for the one change; returns the nanoTime the server's clock starts at. */
  long change() {
    try {
      return callLong("change");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Waits until the server's open watches are down to zero; returns the nanoseconds that took. */
  long awaitNoWatches(long timeoutSeconds) throws IOException, InterruptedException {
    long start = System.nanoTime();
    while (callLong("watches") > 0) {
      if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(timeoutSeconds)) {
        throw new IllegalStateException(call("watches") + " watches still open " + timeoutSeconds + " s after every proxy left");
      }
      Thread.sleep(20);
    }
    return System.nanoTime() - start;
  }

  private String answer() throws IOException {
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith("@@ error")) {
        throw new IllegalStateException("server: " + line.substring(3));
      }
      if (line.startsWith("@@ ")) {
        return line.substring(3);
      }
      System.err.println("[server] " + line);
    }
    throw new IllegalStateException("the server process ended");
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      call("quit");
    } catch (IOException | IllegalStateException e) {
      // already gone
    }
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
