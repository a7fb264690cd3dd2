package dev.sluice.conformance;

import dev.sluice.controlplane.SluiceApplication;
import dev.sluice.controlplane.xds.XdsServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The control plane started in this JVM on free ports with its store in a given folder, and a small
 * REST client for it. Restartable on the same store and xDS port.
 */
final class ControlPlane implements AutoCloseable {
  static final JsonMapper JSON = JsonMapper.builder().build();

  private final Path store;
  private final int xdsPort;
  private final int secureXdsPort = freePort();
  private String[] extraArgs = new String[0];
  private String xdsAddress = "127.0.0.1";
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private ConfigurableApplicationContext context;
  private int restPort;
  /** An admin API token of this control plane's own, configured as a salted hash (as operators do). */
  private String apiToken = "sluice_conformance-" + java.util.UUID.randomUUID();
  private boolean configureApiToken = true;

  private Class<?>[] extraSources = new Class<?>[0];
  private final java.util.List<AutoCloseable> dependencies = new java.util.ArrayList<>();

  private ControlPlane(Path store, int xdsPort) {
    this.store = store;
    this.xdsPort = xdsPort;
  }

  static ControlPlane start(Path store) {
    ControlPlane cp = new ControlPlane(store, freePort());
    cp.start();
    return cp;
  }

  /** Not started; {@link #start()} runs it, with the given configuration classes added. */
  static ControlPlane prepare(Path store, Class<?>... extraSources) {
    ControlPlane cp = new ControlPlane(store, freePort());
    cp.extraSources = extraSources;
    return cp;
  }

  /** From now on, starts with these extra command-line properties ({@code --name=value}). */
  ControlPlane withArgs(String... args) {
    this.extraArgs = args.clone();
    return this;
  }

  /**
   * Starts with no API token configured, as the README's quickstart does: the control plane makes an
   * admin token in its store, and this fixture's requests send that one.
   */
  ControlPlane withGeneratedAdminToken() {
    this.configureApiToken = false;
    return this;
  }

  /** From now on, serves xDS on {@code address} rather than 127.0.0.1 (0.0.0.0: every address). */
  ControlPlane withXdsAddress(String address) {
    this.xdsAddress = address;
    return this;
  }

  /** From now on, starts with these configuration classes added (beans marked @Primary win). */
  void withSources(Class<?>... sources) {
    this.extraSources = sources;
  }

  void start() {
    // Command-line arguments, which outrank application.yaml (builder properties would not).
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(
        "--server.port=0",
        "--server.address=127.0.0.1",
        "--sluice.xds.port=" + xdsPort,
        "--sluice.xds.secure-port=" + secureXdsPort,
        "--sluice.xds.address=" + xdsAddress,
        "--sluice.store.path=" + store.toAbsolutePath()));
    if (configureApiToken) {
      args.addAll(java.util.List.of("--sluice.api.tokens[0].name=conformance",
          "--sluice.api.tokens[0].hash=" + tokenHash(apiToken), "--sluice.api.tokens[0].grants[0].role=admin"));
    }
    args.addAll(java.util.List.of(extraArgs));
    context = new SpringApplicationBuilder(SluiceApplication.class)
        .sources(extraSources)
        .run(args.toArray(String[]::new));
    restPort = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
    if (!configureApiToken) {
      try {
        apiToken = java.nio.file.Files.readString(store.resolve("admin-token")).strip();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("no admin token in the store", e);
      }
    }
  }

  int restPort() {
    return restPort;
  }

  void stop() {
    if (context != null) {
      context.close();
      context = null;
    }
    for (AutoCloseable dependency : dependencies) {
      try {
        dependency.close();
      } catch (Exception e) {
        throw new IllegalStateException("cannot stop " + dependency, e);
      }
    }
    dependencies.clear();
  }

  /** Closes {@code dependency} (an API server, say) after the control plane has stopped. */
  ControlPlane closing(AutoCloseable dependency) {
    dependencies.add(dependency);
    return this;
  }

  @Override
  public void close() {
    stop();
  }

  int xdsPort() {
    return context.getBean(XdsServer.class).port();
  }

  int secureXdsPort() {
    return context.getBean(XdsServer.class).securePort();
  }

  <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  /** An xDS bootstrap for a grpc-java client of the given node id. */
  java.util.Map<String, Object> grpcBootstrap(String nodeId) {
    return java.util.Map.of(
        "xds_servers", java.util.List.of(java.util.Map.of(
            "server_uri", "127.0.0.1:" + xdsPort,
            "channel_creds", java.util.List.of(java.util.Map.of("type", "insecure")),
            "server_features", java.util.List.of("xds_v3"))),
        "node", java.util.Map.of("id", nodeId, "metadata", java.util.Map.of("sluice.role", "proxyless")));
  }

  record Response(int status, JsonNode body) {}

  /** A response as text, with its headers. */
  record RawResponse(int status, java.net.http.HttpHeaders headers, String body) {}

  Response put(String path, String contentType, String body) {
    return send(HttpRequest.newBuilder(uri(path)).header("Authorization", authorization()).header("Content-Type", contentType)
        .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  Response get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).header("Authorization", authorization()).GET().build());
  }

  Response post(String path, String body) {
    return send(HttpRequest.newBuilder(uri(path)).header("Authorization", authorization()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  Response delete(String path) {
    return send(HttpRequest.newBuilder(uri(path)).header("Authorization", authorization()).DELETE().build());
  }

  RawResponse raw(HttpRequest.Builder request, String path) {
    return rawAs(authorization(), request, path);
  }

  /** A request with this {@code Authorization} header, or none when null. */
  RawResponse rawAs(String authorization, HttpRequest.Builder request, String path) {
    try {
      if (authorization != null) {
        request.header("Authorization", authorization);
      }
      HttpResponse<String> r = http.send(request.uri(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
      return new RawResponse(r.statusCode(), r.headers(), r.body());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code Authorization} for this control plane's admin token. */
  String authorization() {
    return "Bearer " + apiToken;
  }

  /** The documented hash form: {@code sha256:<salt>:<sha256 of salt text and token>}, lowercase hex. */
  static String tokenHash(String token) {
    byte[] saltBytes = new byte[16];
    new java.security.SecureRandom().nextBytes(saltBytes);
    String salt = java.util.HexFormat.of().formatHex(saltBytes);
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest((salt + token).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return "sha256:" + salt + ":" + java.util.HexFormat.of().formatHex(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + restPort + path);
  }

  private Response send(HttpRequest request) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode body = r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
      return new Response(r.statusCode(), body);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * A port free now, not handed out before in this JVM, and below the kernel's ephemeral range.
   * A port from the ephemeral range is only reserved until its probe socket closes: any outgoing
   * connection (an Envoy, a gRPC client, the HTTP client) may take it as its source port before
   * the control plane binds it, and CI once failed on exactly that. Below the range nothing takes a
   * port but an explicit bind. Handing a port out once matters too: a control plane with its xDS
   * ports equal refuses to start.
   */
  static int freePort() {
    int below = ephemeralLow();
    int from = Math.max(1024, below - 12_000);
    if (below - from < 1000) {
      throw new IllegalStateException("the ephemeral port range starts at " + below + ": too low to draw test ports below it");
    }
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 1000; attempt++) {
      int port = random.nextInt(from, below);
      if (HANDED_OUT.contains(port)) {
        continue;
      }
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(false);
        s.bind(new java.net.InetSocketAddress(port));
        if (HANDED_OUT.add(port)) {
          return port;
        }
      } catch (IOException inUse) {
        // taken by someone else: draw again
      }
    }
    throw new IllegalStateException("no free port below " + below + " in 1000 attempts");
  }

  /** The first port of Linux's ephemeral range, or the IANA one where that cannot be read. */
  private static int ephemeralLow() {
    try {
      // read by line: Files.readString on a procfs file returns its first byte only on JDK 17 here
      try (java.io.BufferedReader in = java.nio.file.Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
        return Integer.parseInt(in.readLine().trim().split("\\s+")[0]);
      }
    } catch (IOException | RuntimeException unreadable) {
      return 49152;
    }
  }

  private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();
}
