package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.translate.EnvoyTranslator;
import dev.sluice.translate.RouteCompiler;
import dev.sluice.translate.RouteOutput;
import io.envoyproxy.envoy.admin.v3.ClientResourceStatus;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.service.status.v3.ClientConfig;
import io.envoyproxy.envoy.service.status.v3.ClientStatusDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.status.v3.ClientStatusRequest;
import io.envoyproxy.envoy.service.status.v3.ClientStatusResponse;
import io.envoyproxy.envoy.type.matcher.v3.NodeMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import tools.jackson.databind.JsonNode;

/**
 * What operators see, against a real grpc-java xDS client: a route's Programmed status and proxy
 * counts, the proxy's own state, and the xDS metrics; and a NACK showing in all three at once.
 */
class OperatorStatusTest {
  private static final Logger log = LoggerFactory.getLogger(OperatorStatusTest.class);
  static final String ROUTE = "/api/v1/namespaces/ml/modelroutes/scorer";

  @TempDir Path store;

  /**
   * Standard translation, except that routes labelled {@code sabotage: maglev} get MAGLEV clusters:
   * valid for Envoy's proto rules, so they pass the control plane's checks, but grpc-java does not
   * implement MAGLEV and NACKs them. It stands in for any output a proxy rejects.
   */
  @Configuration(proxyBeanMethods = false)
  static class Maglev {
    @Bean
    @Primary
    EnvoyTranslator maglevTranslator() {
      return new EnvoyTranslator((route, group) -> {
        RouteOutput out = RouteCompiler.STANDARD.compile(route, group);
        if (!"maglev".equals(route.metadata().labels().get("sabotage"))) {
          return out;
        }
        return new RouteOutput(out.clusters().stream().map(c -> c.toBuilder().setLbPolicy(Cluster.LbPolicy.MAGLEV).build()).toList(),
            out.endpoints(), out.listeners(), out.routeConfigurations(), out.virtualHost());
      });
    }
  }

  static String route(String endpoint, String label, String timeout) {
    return """
        {"metadata": {"labels": {"sabotage": "%s"}},
         "spec": {"hosts": ["scorer.ml"], "port": 8080, "protocol": "GRPC", "timeout": "%s",
          "versions": [{"name": "v1", "weight": 100, "endpoints": ["%s"]}]}}
        """.formatted(label, timeout, endpoint);
  }

  @Test
  void aNack_showsInTheProxy_theRouteStatus_andTheMetrics_withinOneSecond_andIsNotResent() throws Exception {
    try (ControlPlane cp = ControlPlane.prepare(store, Maglev.class); TaggedBackend v1 = new TaggedBackend("v1")) {
      cp.start();
      assertThat(cp.put(ROUTE, "application/json", route(v1.endpoint(), "none", "2s")).status()).isEqualTo(201);
      try (ProxylessClient client = new ProxylessClient(cp.grpcBootstrap("status-client"), "scorer.ml")) {
        assertThat(client.call()).isEqualTo("v1");
        ProxyStatus.await(cp, "status-client", ProxyStatus::hasAckedAll);
        JsonNode programmed = awaitProgrammed(cp, "True");
        assertThat(programmed.get("reason").asString()).isEqualTo("Programmed");
        JsonNode status = cp.get(ROUTE).body().get("status");
        assertThat(status.get("observedGeneration").asLong()).isEqualTo(1);
        assertThat(status.get("proxies").toString()).isEqualTo("{\"acked\":1,\"nacked\":0,\"pending\":0}");

        JsonNode proxy = cp.get("/api/v1/proxies/status-client").body().get(0);
        assertThat(proxy.get("role").asString()).isEqualTo("proxyless");
        assertThat(proxy.get("peerAddress").asString()).contains("127.0.0.1");
        assertThat(proxy.get("connectedSince").isString()).isTrue();
        String metrics = prometheus(cp);
        assertThat(metric(metrics, "sluice_xds_connected_proxies", "role=\"proxyless\"")).isEqualTo(1);
        assertThat(metric(metrics, "sluice_xds_pushes_total", "type=\"cds\"")).isGreaterThanOrEqualTo(1);
        ClientConfig.GenericXdsConfig cds = csds(cp, "status-client", ProxyStatus.CDS);
        assertThat(cds.getName()).isEqualTo("ml|scorer|v1");
        assertThat(cds.getClientStatus()).isEqualTo(ClientResourceStatus.ACKED);
        assertThat(cds.getXdsConfig().unpack(Cluster.class).getName()).isEqualTo("ml|scorer|v1");

        // A spec change the client rejects: generation 2 with MAGLEV clusters.
        long put = System.nanoTime();
        assertThat(cp.put(ROUTE, "application/json", route(v1.endpoint(), "maglev", "3s")).status()).isEqualTo(200);
        Instant nackAt = null;
        Instant seenAt = null;
        while (seenAt == null && System.nanoTime() - put < Duration.ofSeconds(10).toNanos()) {
          JsonNode nack = cp.get("/api/v1/proxies/status-client").body().get(0).get("types").get(ProxyStatus.CDS).get("lastNack");
          JsonNode condition = condition(cp, "Programmed");
          double rejects = metric(prometheus(cp), "sluice_xds_rejects_total", "type=\"cds\"");
          if (nack != null && !nack.isNull() && "Rejected".equals(condition.get("reason").asString()) && rejects >= 1) {
            nackAt = Instant.parse(nack.get("at").asString());
            seenAt = Instant.now();
            assertThat(nack.get("errorDetail").asString()).contains("MAGLEV");
            assertThat(condition.get("status").asString()).isEqualTo("False");
            assertThat(condition.get("message").asString()).contains("status-client").contains("MAGLEV");
          } else {
            Thread.sleep(10);
          }
        }
        assertThat(seenAt).as("the NACK in all three places").isNotNull();
        Duration lag = Duration.between(nackAt, seenAt);
        log.info("NACK received at {}, visible in proxy, status and metrics at {} ({} ms); {} ms after the PUT",
            nackAt, seenAt, lag.toMillis(), (System.nanoTime() - put) / 1_000_000);
        assertThat(lag).isLessThan(Duration.ofSeconds(1));
        assertThat(cp.get(ROUTE).body().get("status").get("proxies").toString())
            .isEqualTo("{\"acked\":0,\"nacked\":1,\"pending\":0}");
        ClientConfig.GenericXdsConfig rejected = csds(cp, "status-client", ProxyStatus.CDS);
        assertThat(rejected.getClientStatus()).isEqualTo(ClientResourceStatus.NACKED);
        assertThat(rejected.getErrorState().getDetails()).contains("MAGLEV");

        // The rejected version is not sent again on that stream.
        ProxyStatus nacked = ProxyStatus.of(cp, "status-client");
        Thread.sleep(2_000);
        ProxyStatus later = ProxyStatus.of(cp, "status-client");
        assertThat(later.nacks()).isEqualTo(1);
        assertThat(later.responses(ProxyStatus.CDS)).isEqualTo(nacked.responses(ProxyStatus.CDS));
        assertThat(client.call()).as("the client keeps its last good configuration").isEqualTo("v1");

        // Fixed: generation 3 is acked, and the convergence histogram has seen pushes.
        assertThat(cp.put(ROUTE, "application/json", route(v1.endpoint(), "none", "4s")).status()).isEqualTo(200);
        awaitProgrammed(cp, "True");
        assertThat(cp.get(ROUTE).body().get("status").get("observedGeneration").asLong()).isEqualTo(3);
        assertThat(metric(prometheus(cp), "sluice_xds_convergence_seconds_count", "type=\"rds\"")).isGreaterThanOrEqualTo(1);
      }
      JsonNode gone = awaitCondition(cp, "Programmed", "Unknown");
      assertThat(gone.get("reason").asString()).isEqualTo("NoProxies");
    }
  }

  @Test
  void csds_isOnTheSecurePortOnly_andRefusedWithoutAViewersToken() {
    try (ControlPlane cp = ControlPlane.prepare(store)) {
      cp.start();
      ManagedChannel channel = csdsChannel(cp);
      try {
        var stub = ClientStatusDiscoveryServiceGrpc.newBlockingStub(channel);
        assertThatThrownBy(() -> stub.fetchClientStatus(ClientStatusRequest.getDefaultInstance()))
            .isInstanceOfSatisfying(io.grpc.StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAUTHENTICATED));
        io.grpc.Metadata wrong = new io.grpc.Metadata();
        wrong.put(io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER), "Bearer sluice_wrong");
        assertThatThrownBy(() -> stub.withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(wrong))
            .fetchClientStatus(ClientStatusRequest.getDefaultInstance()))
            .isInstanceOfSatisfying(io.grpc.StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAUTHENTICATED));
      } finally {
        channel.shutdownNow();
      }
      ManagedChannel plaintext = Grpc.newChannelBuilderForAddress("127.0.0.1", cp.xdsPort(),
          InsecureChannelCredentials.create()).build();
      try {
        io.grpc.Metadata token = new io.grpc.Metadata();
        token.put(io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER), cp.authorization());
        assertThatThrownBy(() -> ClientStatusDiscoveryServiceGrpc.newBlockingStub(plaintext)
            .withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(token))
            .fetchClientStatus(ClientStatusRequest.getDefaultInstance()))
            .as("no CSDS in cleartext: the token would travel unprotected")
            .isInstanceOfSatisfying(io.grpc.StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNIMPLEMENTED));
      } finally {
        plaintext.shutdownNow();
      }
    }
  }

  /** To CSDS on the secure xDS port, trusting Sluice's roots (the token it is sent must stay private). */
  private static ManagedChannel csdsChannel(ControlPlane cp) {
    String bundle = cp.raw(java.net.http.HttpRequest.newBuilder().GET(), "/api/v1/trust-bundle").body();
    try {
      io.grpc.ChannelCredentials tls = io.grpc.TlsChannelCredentials.newBuilder()
          .trustManager(new java.io.ByteArrayInputStream(bundle.getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
          .build();
      return Grpc.newChannelBuilderForAddress("localhost", cp.secureXdsPort(), tls).build();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The node's entry for a type, through Envoy's Client Status Discovery Service on the secure port. */
  private static ClientConfig.GenericXdsConfig csds(ControlPlane cp, String nodeId, String typeUrl) {
    ManagedChannel channel = csdsChannel(cp);
    try {
      io.grpc.Metadata token = new io.grpc.Metadata();
      token.put(io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER), cp.authorization());
      ClientStatusResponse r = ClientStatusDiscoveryServiceGrpc.newBlockingStub(channel)
          .withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(token)).fetchClientStatus(
          ClientStatusRequest.newBuilder().addNodeMatchers(NodeMatcher.newBuilder()
              .setNodeId(StringMatcher.newBuilder().setExact(nodeId))).build());
      assertThat(r.getConfigList()).hasSize(1);
      assertThat(r.getConfig(0).getNode().getId()).isEqualTo(nodeId);
      return r.getConfig(0).getGenericXdsConfigsList().stream().filter(c -> c.getTypeUrl().equals(typeUrl)).findFirst()
          .orElseThrow();
    } finally {
      channel.shutdownNow();
    }
  }

  private static JsonNode awaitProgrammed(ControlPlane cp, String status) throws InterruptedException {
    return awaitCondition(cp, "Programmed", status);
  }

  private static JsonNode awaitCondition(ControlPlane cp, String type, String status) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    JsonNode c = null;
    while (System.nanoTime() < deadline) {
      c = condition(cp, type);
      if (c != null && status.equals(c.get("status").asString())) {
        return c;
      }
      Thread.sleep(20);
    }
    throw new AssertionError(type + " never became " + status + "; last: " + c);
  }

  private static JsonNode condition(ControlPlane cp, String type) {
    for (JsonNode c : cp.get(ROUTE).body().get("status").get("conditions")) {
      if (type.equals(c.get("type").asString())) {
        return c;
      }
    }
    return null;
  }

  static String prometheus(ControlPlane cp) {
    return cp.raw(HttpRequest.newBuilder().GET(), "/actuator/prometheus").body();
  }

  /** The value of a sample whose labels contain {@code label}, or 0. */
  static double metric(String text, String name, String label) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$").matcher(text);
    while (m.find()) {
      if (m.group(1).contains(label)) {
        return Double.parseDouble(m.group(2));
      }
    }
    return 0;
  }
}
