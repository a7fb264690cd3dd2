package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * Real HTTP traffic through a real Envoy gateway configured only by what Sluice pushes over ADS.
 *
 * <p>The control plane runs in this JVM and binds xDS to 127.0.0.1; the two HTTP backends bind to
 * 127.0.0.1 too. Envoy therefore runs with host networking ({@code --network host}), so that
 * 127.0.0.1 inside the container is the host's loopback: this needs a Linux Docker host. Where no
 * Docker engine answers, nothing is started and the test is skipped.
 */
class EnvoyGatewaySplitTest {
  private static final Logger log = LoggerFactory.getLogger(EnvoyGatewaySplitTest.class);
  /** A released Envoy image, pinned so that a new Envoy release cannot change the result. */
  static final String ENVOY_IMAGE = "envoyproxy/envoy:v1.36.2";
  static final String ROUTES = "/api/v1/namespaces/ml/modelroutes/";
  static final String NO_DOCKER =
      "No Docker engine on this machine: skipping the Envoy gateway suite, which runs where Docker exists";

  @TempDir static Path store;
  static boolean docker;
  static ControlPlane cp;
  static HttpServer v1;
  static HttpServer v2;
  static GenericContainer<?> envoy;
  static int listenerPort;

  /**
   * Probes Docker before anything heavy starts. The skip itself is in {@link #requireDocker()}:
   * Surefire 3.5 drops classes aborted in {@code @BeforeAll} from its report (SUREFIRE-2300), so
   * an assumption here would leave no trace of the skip or its reason.
   */
  @BeforeAll
  static void start() {
    docker = DockerClientFactory.instance().isDockerAvailable();
    if (!docker) {
      return;
    }
    cp = ControlPlane.start(store);
    v1 = backend("v1");
    v2 = backend("v2");
    listenerPort = ControlPlane.freePort();
    envoy = new GenericContainer<>(DockerImageName.parse(ENVOY_IMAGE))
        .withNetworkMode("host")
        .withCopyToContainer(
            Transferable.of(bootstrap(listenerPort, ControlPlane.freePort(), cp.xdsPort())), "/etc/envoy/envoy.yaml")
        .waitingFor(Wait.forLogMessage(".*starting main dispatch loop.*", 1)
            .withStartupTimeout(Duration.ofSeconds(60)));
    envoy.start();
  }

  @BeforeEach
  void requireDocker() {
    Assumptions.assumeTrue(docker, NO_DOCKER);
  }

  @AfterAll
  static void stop() {
    if (envoy != null) {
      envoy.stop();
    }
    if (v1 != null) {
      v1.stop(0);
    }
    if (v2 != null) {
      v2.stop(0);
    }
    if (cp != null) {
      cp.close();
    }
  }

  @Test
  void realEnvoyGateway_splitsNinetyTenWithinBinomialBound() throws Exception {
    String route = """
        {"spec": {"hosts": ["split.ml"], "port": 8080,
          "versions": [{"name": "v1", "weight": 90, "endpoints": ["127.0.0.1:%d"]},
                       {"name": "v2", "weight": 10, "endpoints": ["127.0.0.1:%d"]}]}}
        """.formatted(v1.getAddress().getPort(), v2.getAddress().getPort());
    assertThat(cp.put(ROUTES + "split", "application/json", route).status()).isEqualTo(201);

    awaitFirst200(Duration.ofSeconds(30));

    int n = 2000;
    int onV1 = 0;
    int onV2 = 0;
    for (int i = 0; i < n; i++) {
      Reply r = get("split.ml");
      assertThat(r.status()).as("status of request %d", i).isEqualTo(200);
      switch (r.body()) {
        case "v1" -> onV1++;
        case "v2" -> onV2++;
        default -> fail("request %d answered by neither version: '%s'", i, r.body());
      }
    }
    log.info("Envoy 90/10 split over {} requests: v1 {} v2 {}", n, onV1, onV2);
    Binomial.assertWithin999("requests on v1", onV1, n, 0.9);
  }

  /** Polls until Envoy has a listener, a route and endpoints, that is until it answers 200. */
  private static void awaitFirst200(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no attempt";
    while (System.nanoTime() < deadline) {
      try {
        Reply r = get("split.ml");
        if (r.status() == 200) {
          return;
        }
        last = "HTTP " + r.status() + " " + r.body();
      } catch (IOException e) {
        last = e.toString(); // listener not there yet
      }
      Thread.sleep(200);
    }
    fail("Envoy gave no 200 for Host: split.ml within %s; last: %s%nEnvoy log:%n%s",
        timeout, last, envoy.getLogs());
  }

  record Reply(int status, String body) {}

  /**
   * One HTTP/1.1 GET of {@code /} on the gateway listener over a raw socket, because the JDK's
   * HttpClient does not let a caller set the Host header.
   */
  private static Reply get(String host) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", listenerPort), 2000);
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int headerEnd = response.indexOf("\r\n\r\n");
      if (!response.startsWith("HTTP/1.1 ") || headerEnd < 0) {
        throw new IOException("not an HTTP/1.1 response: '" + response + "'");
      }
      int status = Integer.parseInt(response.substring(9, 12));
      return new Reply(status, response.substring(headerEnd + 4).strip());
    }
  }

  /** An HTTP server on 127.0.0.1 that answers any path with its tag as the body. */
  private static HttpServer backend(String tag) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      byte[] body = tag.getBytes(StandardCharsets.UTF_8);
      server.createContext("/", exchange -> {
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      });
      server.start();
      return server;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Envoy's bootstrap: a gateway node that gets listeners and clusters from Sluice over ADS. */
  static String bootstrap(int listenerPort, int adminPort, int xdsPort) {
    return """
        node:
          id: envoy-gateway-1
          cluster: sluice
          metadata:
            sluice.role: gateway
            sluice.listener_port: %d
        admin:
          address: {socket_address: {address: 127.0.0.1, port_value: %d}}
        dynamic_resources:
          ads_config:
            api_type: GRPC
            transport_api_version: V3
            grpc_services:
            - envoy_grpc: {cluster_name: xds_cluster}
          cds_config: {ads: {}, resource_api_version: V3}
          lds_config: {ads: {}, resource_api_version: V3}
        static_resources:
          clusters:
          - name: xds_cluster
            type: STATIC
            connect_timeout: 1s
            typed_extension_protocol_options:
              envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
                "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                explicit_http_config: {http2_protocol_options: {}}
            load_assignment:
              cluster_name: xds_cluster
              endpoints:
              - lb_endpoints:
                - endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: %d}}}
        """.formatted(listenerPort, adminPort, xdsPort);
  }
}
