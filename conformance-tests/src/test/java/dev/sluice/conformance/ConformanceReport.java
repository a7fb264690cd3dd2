package dev.sluice.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The conformance report: what each real peer (Envoy of each version, grpc-java, grpc-go, gRPC
 * C-core) did with each capability, as the tests measured it.
 *
 * <p>Every result is one JSON line appended to {@code target/conformance/results.jsonl} (under a
 * file lock: several Surefire executions write it), and {@code target/conformance.md} is written
 * anew from all lines after each one, the newest line winning for a (section, client, item). A test
 * registers the {@link Watcher} and says what it is checking with {@link Watcher#begin}; the watcher
 * records PASS or FAIL (with the assertion's first line) or SKIPPED when the test ends, with the
 * counts the test added through {@link Watcher#detail}.
 */
final class ConformanceReport {
  static final Path DIR = Path.of("target", "conformance").toAbsolutePath();
  static final Path RESULTS = DIR.resolve("results.jsonl");
  static final Path MARKDOWN = Path.of("target", "conformance.md").toAbsolutePath();

  /** Sections of the report. */
  static final String CAPABILITIES = "Capabilities";
  static final String FIELDS = "Fields";

  private ConformanceReport() {}

  /** One measured result. {@code result}: PASS, FAIL, SKIPPED, or for fields honoured / ignored / rejected. */
  static void record(String section, String client, String item, String result, String detail) {
    ObjectNode line = ControlPlane.JSON.createObjectNode()
        .put("time", Instant.now().toString())
        .put("section", section)
        .put("client", client)
        .put("item", item)
        .put("result", result)
        .put("detail", detail == null ? "" : detail);
    try {
      Files.createDirectories(DIR);
      try (FileChannel channel = FileChannel.open(RESULTS, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND); FileLock ignored = channel.lock()) {
        channel.write(StandardCharsets.UTF_8.encode(line + "\n"));
        Files.writeString(MARKDOWN, render(Files.readAllLines(RESULTS)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the conformance report", e);
    }
  }

  static String render(List<String> lines) {
    // section -> item -> client -> latest line
    Map<String, Map<String, Map<String, JsonNode>>> table = new TreeMap<>();
    Map<String, TreeSet<String>> clients = new TreeMap<>();
    for (String raw : lines) {
      if (raw.isBlank()) {
        continue;
      }
      JsonNode line = ControlPlane.JSON.readTree(raw);
      String section = line.get("section").asString();
      table.computeIfAbsent(section, s -> new TreeMap<>())
          .computeIfAbsent(line.get("item").asString(), i -> new TreeMap<>())
          .put(line.get("client").asString(), line);
      clients.computeIfAbsent(section, s -> new TreeSet<>()).add(line.get("client").asString());
    }
    StringBuilder md = new StringBuilder("# Sluice conformance report\n\n")
        .append("Written by the conformance tests (`./mvnw -B verify`); each cell is what a real peer did, ")
        .append("as measured in the run that wrote it. Details below each table.\n");
    for (var section : table.entrySet()) {
      List<String> cols = new ArrayList<>(clients.get(section.getKey()));
      md.append("\n## ").append(section.getKey()).append("\n\n| |");
      cols.forEach(c -> md.append(' ').append(c).append(" |"));
      md.append("\n|---|");
      cols.forEach(c -> md.append("---|"));
      md.append('\n');
      Map<String, String> details = new LinkedHashMap<>();
      for (var item : section.getValue().entrySet()) {
        md.append("| ").append(item.getKey()).append(" |");
        for (String c : cols) {
          JsonNode cell = item.getValue().get(c);
          md.append(' ').append(cell == null ? "" : cell.get("result").asString()).append(" |");
          if (cell != null && !cell.get("detail").asString().isEmpty()) {
            details.put(item.getKey() + ", " + c, cell.get("detail").asString());
          }
        }
        md.append('\n');
      }
      if (!details.isEmpty()) {
        md.append('\n');
        details.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v.replace('\n', ' ')).append('\n'));
      }
    }
    return md.toString();
  }

  static Watcher watcher() {
    return new Watcher();
  }

  /** Records the outcome of each test that said what it checks. One test checks one item of one client. */
  static final class Watcher implements TestWatcher {
    private String client;
    private String item;
    private final StringBuilder detail = new StringBuilder();

    /** This test checks {@code item} (a capability) of {@code client}. */
    void begin(String client, String item) {
      this.client = client;
      this.item = item;
      detail.setLength(0);
    }

    /** Counts or timings the report shows next to the result. */
    void detail(String text) {
      if (!detail.isEmpty()) {
        detail.append("; ");
      }
      detail.append(text);
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
      finish("PASS", "");
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      String message = String.valueOf(cause.getMessage()).strip();
      int eol = message.indexOf('\n');
      finish("FAIL", eol < 0 ? message : message.substring(0, eol));
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
      finish("SKIPPED", String.valueOf(cause.getMessage()));
    }

    private void finish(String result, String why) {
      if (item != null) {
        String text = detail.isEmpty() ? why : why.isEmpty() ? detail.toString() : detail + "; " + why;
        record(CAPABILITIES, client, item, result, text);
      }
      item = null;
      detail.setLength(0);
    }
  }
}
