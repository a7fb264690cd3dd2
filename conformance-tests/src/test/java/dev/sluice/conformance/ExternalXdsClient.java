package dev.sluice.conformance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A proxyless client in a process of its own: the grpc-go program of {@code clients/go} or the
 * Python grpcio (gRPC C-core) program of {@code clients/python}, both real xDS clients of their
 * language, driven over their standard input and output by a line protocol:
 *
 * <pre>
 *   call &lt;n&gt; &lt;deadlineMillis&gt; [key=value ...]        -> n results, space-separated
 *   concurrent &lt;n&gt; &lt;deadlineMillis&gt; [key=value ...]  -> the same, the n RPCs started at once
 *   quit                                             -> exits 0
 * </pre>
 *
 * Each is started with {@code GRPC_XDS_BOOTSTRAP_CONFIG} set to the bootstrap of its node, and says
 * {@code ready} first. Its standard error goes to {@code target/clients/<node>.stderr.log}.
 */
final class ExternalXdsClient implements XdsClient {
  static final Path SOURCES = Path.of("clients").toAbsolutePath();
  static final Path OUT = Path.of("target", "clients").toAbsolutePath();
  private static final String EOF = "\u0000EOF";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Pattern GRPC_GO_REQUIREMENT = Pattern.compile("(?m)^\\s*(?:require\\s+)?google\\.golang\\.org/grpc\\s+(v\\S+)");

  private static Path goBinary;
  private static String goBuildFailure;

  private final String family;
  private final String nodeId;
  private final Process process;
  private final Writer stdin;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final Path stderr;

  private ExternalXdsClient(String family, String nodeId, List<String> command, String bootstrapJson) {
    this.family = family;
    this.nodeId = nodeId;
    try {
      Files.createDirectories(OUT);
      stderr = OUT.resolve(nodeId + ".stderr.log");
      ProcessBuilder pb = new ProcessBuilder(command)
          .redirectError(ProcessBuilder.Redirect.to(stderr.toFile()))
          .redirectOutput(ProcessBuilder.Redirect.PIPE)
          .redirectInput(ProcessBuilder.Redirect.PIPE);
      Map<String, String> env = pb.environment();
      env.put("GRPC_XDS_BOOTSTRAP_CONFIG", bootstrapJson);
      env.remove("GRPC_XDS_BOOTSTRAP"); // a file named by the environment would win over ours
      // grpc-go logs the reason of each NACK it sends at warning; its default shows errors only.
      env.putIfAbsent("GRPC_GO_LOG_SEVERITY_LEVEL", "warning");
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + family + ": " + command, e);
    }
    stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(this::readStdout, "stdout of " + nodeId);
    reader.setDaemon(true);
    reader.start();
    String first;
    try {
      first = await(START_TIMEOUT);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    if (!first.equals("ready")) {
      close();
      throw new IllegalStateException(family + " said '" + first + "' instead of ready" + stderrTail());
    }
  }

  /** grpc-go, {@code clients/go} built once per JVM into {@code target/clients/xds-go-client}. */
  static ExternalXdsClient grpcGo(String bootstrapJson, String nodeId, String host) {
    return new ExternalXdsClient(goFamily(), nodeId, List.of(goClient().toString(), "xds:///" + host), bootstrapJson);
  }

  /** gRPC C-core through Python's grpcio, from the virtualenv peers/install made. */
  static ExternalXdsClient grpcCore(String bootstrapJson, String nodeId, String host) {
    Path python = Peers.grpcioPython().orElseThrow(
        () -> Peers.missing("grpcio " + Peers.version("grpcio") + " is not installed"));
    return new ExternalXdsClient(coreFamily(), nodeId,
        List.of(python.toString(), SOURCES.resolve("python/client.py").toString(), "xds:///" + host), bootstrapJson);
  }

  /** {@code grpc-go v1.85.0}: the version clients/go/go.mod requires. */
  static String goFamily() {
    try {
      Matcher m = GRPC_GO_REQUIREMENT.matcher(Files.readString(SOURCES.resolve("go/go.mod")));
      return "grpc-go " + (m.find() ? m.group(1) : "(unknown version)");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String coreFamily() {
    return "gRPC C-core (grpcio " + Peers.version("grpcio") + ")";
  }

  /** Builds the grpc-go client once per JVM; a failed build fails every later test the same way. */
  static synchronized Path goClient() {
    if (goBinary != null) {
      return goBinary;
    }
    if (goBuildFailure != null) {
      throw new IllegalStateException(goBuildFailure);
    }
    Path go = Peers.onPath("go").orElseThrow(() -> Peers.missing("Go is not installed (no go on the PATH)"));
    Path binary = OUT.resolve("xds-go-client");
    Path log = OUT.resolve("go-build.log");
    try {
      Files.createDirectories(OUT);
      ProcessBuilder pb = new ProcessBuilder(go.toString(), "build", "-buildvcs=false", "-o", binary.toString(), ".")
          .directory(SOURCES.resolve("go").toFile())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile());
      // Build with the Go that is installed, or fail saying so: never download a toolchain.
      pb.environment().put("GOTOOLCHAIN", "local");
      Process build = pb.start();
      if (!build.waitFor(10, TimeUnit.MINUTES)) {
        build.destroyForcibly();
        goBuildFailure = "go build of clients/go took over 10 minutes";
      } else if (build.exitValue() != 0) {
        goBuildFailure = "go build of clients/go failed (exit " + build.exitValue() + "; modules: "
            + "conformance-tests/peers/install go):\n" + Files.readString(log);
      }
    } catch (IOException e) {
      goBuildFailure = "cannot run go build: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (goBuildFailure != null) {
      throw new IllegalStateException(goBuildFailure);
    }
    goBinary = binary;
    return binary;
  }

  @Override
  public String family() {
    return family;
  }

  @Override
  public String nodeId() {
    return nodeId;
  }

  @Override
  public List<String> calls(int n, Duration deadline, Map<String, String> headers) {
    return request("call", n, deadline, headers);
  }

  @Override
  public List<String> concurrent(int n, Duration deadline, Map<String, String> headers) {
    return request("concurrent", n, deadline, headers);
  }

  private synchronized List<String> request(String verb, int n, Duration deadline, Map<String, String> headers) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be at least 1, was " + n);
    }
    StringBuilder line = new StringBuilder(verb).append(' ').append(n).append(' ').append(Math.max(1, deadline.toMillis()));
    headers.forEach((k, v) -> {
      if (k.isEmpty() || k.contains("=") || k.chars().anyMatch(Character::isWhitespace)
          || v.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("header '" + k + ": " + v + "' cannot go over the line protocol");
      }
      line.append(' ').append(k).append('=').append(v);
    });
    try {
      stdin.write(line.append('\n').toString());
      stdin.flush();
    } catch (IOException e) {
      throw new IllegalStateException(family + " (" + nodeId + ") no longer reads its input" + stderrTail(), e);
    }
    // Sequential RPCs can take their deadline each; concurrent ones about one deadline.
    long rounds = verb.equals("call") ? n : 1;
    String answer = await(deadline.multipliedBy(rounds).plusSeconds(10));
    List<String> results = Arrays.asList(answer.split(" "));
    if (results.size() != n) {
      throw new IllegalStateException(family + " answered '" + answer + "' to '" + line.toString().strip() + "'");
    }
    return results;
  }

  private String await(Duration timeout) {
    String line;
    try {
      line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (line == null) {
      process.destroyForcibly();
      throw new IllegalStateException(family + " (" + nodeId + ") gave no answer within " + timeout + stderrTail());
    }
    if (line.equals(EOF)) {
      throw new IllegalStateException(family + " (" + nodeId + ") exited" + exitCode() + stderrTail());
    }
    return line;
  }

  private void readStdout() {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        lines.add(line);
      }
    } catch (IOException e) {
      // The process went away; EOF below says so.
    } finally {
      lines.add(EOF);
    }
  }

  private String exitCode() {
    try {
      return process.waitFor(2, TimeUnit.SECONDS) ? " with code " + process.exitValue() : "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private String stderrTail() {
    try {
      List<String> all = Files.readAllLines(stderr, StandardCharsets.UTF_8);
      List<String> tail = new ArrayList<>(all.subList(Math.max(0, all.size() - 20), all.size()));
      return "; its stderr (" + stderr + ") ends:\n" + String.join("\n", tail);
    } catch (IOException | RuntimeException e) {
      return "; see " + stderr;
    }
  }

  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        try {
          stdin.write("quit\n");
          stdin.close();
        } catch (IOException e) {
          // Already gone: killed below if not.
        }
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroy();
          if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  @Override
  public String toString() {
    return family + " as " + nodeId;
  }
}
