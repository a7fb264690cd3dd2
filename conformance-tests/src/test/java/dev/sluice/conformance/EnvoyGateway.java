package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A real Envoy gateway, configured only by what Sluice pushes over ADS: a local process or a
 * container, as {@link EnvoyRuntime} finds one. Its bootstrap, standard output (access log) and
 * standard error stay in {@code target/envoy/<node>-<slot>/}; {@link #dumpConfig} adds the admin
 * {@code /config_dump} there when a test fails.
 */
final class EnvoyGateway implements AutoCloseable {
  static final Path OUTPUT = Path.of("target", "envoy").toAbsolutePath();

  private final EnvoyProcess process;
  private final Path dir;
  private final String version;
  private final int listenerPort;
  private final int adminPort;

  private EnvoyGateway(EnvoyProcess process, Path dir, String version, int listenerPort, int adminPort) {
    this.process = process;
    this.dir = dir;
    this.version = version;
    this.listenerPort = listenerPort;
    this.adminPort = adminPort;
  }

  /** A gateway whose bootstrap (written by this fixture) points at the control plane's plaintext xDS port. */
  static EnvoyGateway start(ControlPlane cp, String nodeId) {
    return start(cp, nodeId, XDS_CLUSTER);
  }

  /**
   * The same gateway, with the bootstrap's cluster to the control plane named {@code xdsCluster}
   * rather than {@code sluice-xds} (translators' {@code EnvoyBootstrap.XDS_CLUSTER}), as an older
   * or hand-written bootstrap may name it.
   */
  static EnvoyGateway start(ControlPlane cp, String nodeId, String xdsCluster) {
    int listenerPort = ControlPlane.freePort();
    int adminPort = ControlPlane.freePort();
    return start(nodeId, bootstrap(nodeId, listenerPort, adminPort, cp.xdsPort(), xdsCluster), "envoy.yaml",
        listenerPort, adminPort);
  }

  /**
   * A gateway started from a bootstrap that someone else wrote, unchanged: here the proto3 JSON that
   * {@code POST /api/v1/namespaces/{ns}/bootstrap} answers, which was minted with these listener and
   * admin ports.
   *
   * <p>It is written as {@code envoy.json} and Envoy runs with {@code -c} on that path. Envoy picks
   * the parser from the file name: {@code .yaml}/{@code .yml} are converted from YAML,
   * {@code .pb}/{@code .pb_text} are protobuf binary/text, and anything else, {@code .json} included,
   * goes straight to protobuf's JSON parser, which takes the lowerCamelCase field names and
   * {@code "@type"} the endpoint writes: the bytes an operator runs with {@code envoy -c bootstrap.json}.
   */
  static EnvoyGateway startWithBootstrap(String nodeId, String bootstrapJson, int listenerPort, int adminPort) {
    return start(nodeId, bootstrapJson, "envoy.json", listenerPort, adminPort);
  }

  /**
   * A gateway on the secure port, run from the bootstrap the REST API mints for {@code ml/gateway}
   * (token valid 1 h): it proves its identity and takes its certificates over SDS.
   */
  static EnvoyGateway startMinted(ControlPlane cp, String nodeId) {
    int listenerPort = ControlPlane.freePort();
    int adminPort = ControlPlane.freePort();
    Bootstraps minted = Bootstraps.mint(cp, "ml", "gateway", nodeId, "1h", listenerPort, adminPort);
    return startWithBootstrap(nodeId, minted.json(), listenerPort, adminPort);
  }

  /** A gateway started from a YAML bootstrap someone else wrote (the README's), with no admin port. */
  static EnvoyGateway startWithYaml(String nodeId, String bootstrapYaml, int listenerPort) {
    return start(nodeId, bootstrapYaml, "envoy.yaml", listenerPort, -1);
  }

  private static EnvoyGateway start(String nodeId, String bootstrap, String fileName, int listenerPort, int adminPort) {
    EnvoyRuntime runtime = EnvoyRuntime.select();
    Path dir = OUTPUT.resolve(nodeId + "-" + runtime.slot());
    EnvoyProcess process = runtime.start(bootstrap, fileName, dir);
    return new EnvoyGateway(process, dir, runtime.version(), listenerPort, adminPort);
  }

  /** The port of the gateway listener. */
  int listenerPort() {
    return listenerPort;
  }

  /** The Envoy version running, as it reports itself. */
  String version() {
    return version;
  }

  /** Writes the admin {@code /config_dump} (with EDS) next to the logs, for a test that failed. */
  Path dumpConfig(String name) {
    if (adminPort < 0) {
      return dir.resolve("stderr.log");
    }
    Path file = dir.resolve("config_dump-" + name.replaceAll("[^A-Za-z0-9_.-]", "_") + ".json");
    try {
      Files.writeString(file, admin("/config_dump?include_eds"));
    } catch (IOException e) {
      return dir;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return file;
  }

  /** An HTTP response: status, lower-cased headers (first value of each), body. */
  record Reply(int status, Map<String, String> headers, String body) {}

  Reply get(String host) throws IOException {
    return get(host, Map.of());
  }

  /**
   * One HTTP/1.1 GET of {@code /} on the gateway listener over a raw socket, because the JDK's
   * HttpClient does not let a caller set the Host header.
   */
  Reply get(String host, Map<String, String> headers) throws IOException {
    return request(host, "/", headers);
  }

  /** One HTTP/1.1 GET of a path (with its query) on the gateway listener. */
  Reply request(String host, String pathAndQuery, Map<String, String> headers) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", listenerPort), 2000);
      s.setSoTimeout(10_000);
      StringBuilder request = new StringBuilder("GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n");
      headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
      OutputStream out = s.getOutputStream();
      out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int headerEnd = response.indexOf("\r\n\r\n");
      if (!response.startsWith("HTTP/1.1 ") || headerEnd < 0) {
        throw new IOException("not an HTTP/1.1 response: '" + response + "'");
      }
      Map<String, String> replyHeaders = new LinkedHashMap<>();
      for (String line : response.substring(0, headerEnd).split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          replyHeaders.putIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
      }
      return new Reply(Integer.parseInt(response.substring(9, 12)), replyHeaders, response.substring(headerEnd + 4).strip());
    }
  }

  /** Polls until Envoy answers 200 for the host: listener, route and endpoints have arrived. */
  void awaitFirst200(String host, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no attempt";
    while (System.nanoTime() < deadline) {
      try {
        Reply r = get(host);
        if (r.status() == 200) {
          return;
        }
        last = "HTTP " + r.status() + " " + r.body();
      } catch (IOException e) {
        last = e.toString(); // listener not there yet
      }
      Thread.sleep(200);
    }
    fail("Envoy gave no 200 for Host: %s within %s; last: %s%nEnvoy log:%n%s", host, timeout, last, process.logs());
  }

  /**
   * One counter or gauge from Envoy's admin {@code /stats}, 0 when absent. Cluster names hold
   * {@code |} ({@code cluster.ml|route|v1.ssl.handshake}), which Envoy keeps in stat names (it only
   * rewrites {@code :}) but which may not appear in a URI, and which the admin's {@code filter}
   * regular expression would read as alternation: the filter is the name's tail after the last
   * {@code |}, and the exact name is matched here.
   */
  long stat(String name) throws IOException, InterruptedException {
    String value = statText(name);
    return value == null ? 0 : Long.parseLong(value);
  }

  /**
   * What admin {@code /stats} shows for one stat, null when absent: a counter's or gauge's number,
   * or a histogram's summary ({@code P0(nan,1) P25(nan,1.025) ...}, or {@code No recorded values}
   * until Envoy merges the workers' histograms, every stats flush interval, 5 s by default).
   */
  String statText(String name) throws IOException, InterruptedException {
    String filter = name.substring(name.lastIndexOf('|') + 1);
    for (String line : admin("/stats?filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8)).split("\n")) {
      if (line.startsWith(name + ": ")) {
        return line.substring(name.length() + 2).trim();
      }
    }
    return null;
  }

  /** Admin {@code /stats/prometheus}: the stats as Prometheus scrapes them, cluster names as labels. */
  String prometheus() throws IOException, InterruptedException {
    return admin("/stats/prometheus");
  }

  /** Sends {@code n} requests for {@code host}: how many got each body (200) or each other status. */
  Map<String, Integer> served(String host, int n) throws IOException {
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < n; i++) {
      Reply r = get(host);
      seen.merge(r.status() == 200 ? r.body() : "HTTP " + r.status(), 1, Integer::sum);
    }
    return seen;
  }

  /** The endpoints Envoy holds now (admin {@code /clusters}): one line per cluster, host and field. */
  String clusters() throws IOException, InterruptedException {
    return admin("/clusters");
  }

  private String admin(String pathAndQuery) throws IOException, InterruptedException {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofString());
    return r.body();
  }

  /**
   * The access log so far: the JSON objects Envoy wrote to its standard output, one a line (its own
   * log goes to standard error). Envoy writes access logs asynchronously, flushing about every second.
   */
  List<JsonNode> accessLog() {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : process.stdout().split("\n")) {
      if (line.startsWith("{")) {
        try {
          lines.add(ControlPlane.JSON.readTree(line));
        } catch (JacksonException e) {
          // a line still being written when the log was read; the next read has it whole
        }
      }
    }
    return lines;
  }

  /** Envoy's log so far, for failure messages. */
  String logs() {
    return process.logs();
  }

  @Override
  public void close() {
    process.close();
  }

  /** The name Sluice's bootstraps give the cluster to the control plane, which the access logs of rollouts use. */
  static final String XDS_CLUSTER = "sluice-xds";

  /**
   * Envoy's bootstrap: a gateway node that gets listeners and clusters from Sluice over ADS, and
   * reports the load of its clusters to it (LRS).
   */
  static String bootstrap(String nodeId, int listenerPort, int adminPort, int xdsPort, String xdsCluster) {
    return """
        node:
          id: %1$s
          cluster: sluice
          metadata:
            sluice.role: gateway
            sluice.listener_port: %3$d
        admin:
          address: {socket_address: {address: 127.0.0.1, port_value: %4$d}}
        dynamic_resources:
          ads_config:
            api_type: GRPC
            transport_api_version: V3
            grpc_services:
            - envoy_grpc: {cluster_name: %2$s}
          cds_config: {ads: {}, resource_api_version: V3}
          lds_config: {ads: {}, resource_api_version: V3}
        cluster_manager:
          load_stats_config:
            api_type: GRPC
            transport_api_version: V3
            grpc_services:
            - envoy_grpc: {cluster_name: %2$s}
        static_resources:
          clusters:
          - name: %2$s
            type: STATIC
            connect_timeout: 1s
            typed_extension_protocol_options:
              envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
                "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                explicit_http_config: {http2_protocol_options: {}}
            load_assignment:
              cluster_name: %2$s
              endpoints:
              - lb_endpoints:
                - endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: %5$d}}}
        """.formatted(nodeId, xdsCluster, listenerPort, adminPort, xdsPort);
  }
}
