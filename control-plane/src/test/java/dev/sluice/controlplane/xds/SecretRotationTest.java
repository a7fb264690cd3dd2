package dev.sluice.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.controlplane.ca.CaProperties;
import dev.sluice.controlplane.ca.CaRoot;
import dev.sluice.controlplane.ca.CertificateAuthority;
import dev.sluice.controlplane.ca.WorkloadIdentity;
import dev.sluice.controlplane.identity.ProvenProxy;
import dev.sluice.controlplane.identity.ProxyAuthenticator;
import dev.sluice.controlplane.identity.ProxyAuthenticators;
import dev.sluice.translate.ProxyGroup;
import dev.sluice.translate.ProxyRole;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Certificates renew on the open stream before they expire, driven by a clock the test moves: over
 * twelve hours of one-hour certificates, the proxy always holds a valid one and never reconnects.
 */
class SecretRotationTest {
  static final String SECRET = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret";
  static final Duration TTL = Duration.ofHours(1);

  final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T00:00:00Z"));
  CertificateAuthority ca;
  WorkloadSecrets secrets;
  Server server;
  ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    CaProperties properties = new CaProperties("cluster.local", TTL, Duration.ofHours(2), null, 0.25, null, null, null,
        null, null, null, null);
    ca = new CertificateAuthority(CaRoot.generate(properties, clock), properties, clock);
    secrets = new WorkloadSecrets(ca, clock, new Random(7));
    ProxyAuthenticator fixed = new ProxyAuthenticator() {
      @Override
      public Optional<ProvenProxy> authenticate(String bearer, Instant now) {
        return Optional.of(new ProvenProxy("ml", "scorer", "gw-1", ProxyRole.GATEWAY, Instant.MAX, "test-credential", this));
      }

      @Override
      public Optional<String> recheck(ProvenProxy proxy, Instant now) {
        return Optional.empty();
      }
    };
    AuthenticatedStreams gate = new AuthenticatedStreams(new ProxyAuthenticators(List.of(fixed)), clock, proxy -> {});
    StreamRegistry registry = new StreamRegistry(clock, g -> {}, secrets, XdsMetrics.unregistered());
    GuardedDiscoveryServer discovery = new GuardedDiscoveryServer(registry,
        new GuardedConfigWatcher(new SimpleCache<ProxyGroup>(new ProxyGroups()), secrets));
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name)
        .addService(ServerInterceptors.intercept(discovery.getAggregatedDiscoveryServiceImpl(), gate))
        .build().start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  @Test
  void renewedCertificatesArriveOnTheOpenStream_beforeExpiry_andNoneDeliveredIsExpired() throws Exception {
    BlockingQueue<DiscoveryResponse> responses = new LinkedBlockingQueue<>();
    AtomicBoolean closed = new AtomicBoolean();
    StreamObserver<DiscoveryRequest> requests = open(responses, closed);
    requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(SECRET).addResourceNames("default").addResourceNames("ROOTCA")
        .setNode(Node.newBuilder().setId("gw-1")).build());

    List<Instant> deliveredAt = new ArrayList<>();
    List<X509Certificate> delivered = new ArrayList<>();
    DiscoveryResponse first = responses.poll(5, TimeUnit.SECONDS);
    assertThat(first).as("the first certificate").isNotNull();
    delivered.add(leaf(first));
    deliveredAt.add(clock.instant());
    requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(SECRET).setVersionInfo(first.getVersionInfo())
        .setResponseNonce(first.getNonce()).addResourceNames("default").addResourceNames("ROOTCA").build());
    Instant end = clock.instant().plus(Duration.ofHours(12));
    while (clock.instant().isBefore(end)) {
      String current = ca.spiffeId(new WorkloadIdentity("ml", "scorer"));
      X509Certificate expected = secrets.current(new WorkloadIdentity("ml", "scorer")).map(c -> c.chain().get(0)).orElse(null);
      if (!delivered.get(delivered.size() - 1).equals(expected)) {
        DiscoveryResponse r = responses.poll(5, TimeUnit.SECONDS);
        assertThat(r).as("a response carrying the certificate issued for %s", current).isNotNull();
        X509Certificate leaf = leaf(r);
        assertThat(leaf).isEqualTo(expected);
        assertThat(leaf.getNotAfter().toInstant()).as("a delivered certificate is never expired").isAfter(clock.instant());
        delivered.add(leaf);
        deliveredAt.add(clock.instant());
        requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(SECRET).setVersionInfo(r.getVersionInfo())
            .setResponseNonce(r.getNonce()).addResourceNames("default").addResourceNames("ROOTCA").build());
      }
      X509Certificate held = delivered.get(delivered.size() - 1);
      assertThat(held.getNotAfter().toInstant()).as("the proxy's certificate at %s", clock.instant()).isAfter(clock.instant());
      assertThat(held.getNotBefore().toInstant()).isBeforeOrEqualTo(clock.instant());

      clock.advance(Duration.ofMinutes(1));
      secrets.tick();
    }

    assertThat(closed).as("rotation never reconnects").isFalse();
    assertThat(delivered).as("one-hour certificates over twelve hours").hasSizeGreaterThanOrEqualTo(16);
    for (int i = 1; i < delivered.size(); i++) {
      Instant issued = deliveredAt.get(i - 1);
      Duration life = Duration.between(issued, delivered.get(i - 1).getNotAfter().toInstant());
      Duration age = Duration.between(issued, deliveredAt.get(i));
      // Half-life, plus or minus the 25 % jitter, plus the one-minute step of this test.
      assertThat(age).isBetween(life.multipliedBy(25).dividedBy(100), life.multipliedBy(75).dividedBy(100).plusMinutes(1));
    }
    long distinctAges = java.util.stream.IntStream.range(1, delivered.size())
        .mapToObj(i -> Duration.between(deliveredAt.get(i - 1), deliveredAt.get(i))).distinct().count();
    assertThat(distinctAges).as("jitter spreads renewals").isGreaterThan(1);
  }

  @Test
  void theLastStreamOfAnIdentityClosing_dropsItsSecrets() throws Exception {
    BlockingQueue<DiscoveryResponse> responses = new LinkedBlockingQueue<>();
    AtomicBoolean closed = new AtomicBoolean();
    StreamObserver<DiscoveryRequest> requests = open(responses, closed);
    requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(SECRET).addResourceNames("default").addResourceNames("ROOTCA")
        .setNode(Node.newBuilder().setId("gw-1")).build());
    assertThat(responses.poll(5, TimeUnit.SECONDS)).isNotNull();
    assertThat(secrets.identities()).isEqualTo(1);

    requests.onCompleted();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (secrets.identities() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(secrets.identities()).isZero();
    assertThat(secrets.current(new WorkloadIdentity("ml", "scorer"))).isEmpty();
  }

  private StreamObserver<DiscoveryRequest> open(BlockingQueue<DiscoveryResponse> responses, AtomicBoolean closed) {
    Metadata headers = new Metadata();
    headers.put(AuthenticatedStreams.AUTHORIZATION, "Bearer anything");
    return AggregatedDiscoveryServiceGrpc.newStub(ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers)))
        .streamAggregatedResources(new StreamObserver<>() {
          @Override
          public void onNext(DiscoveryResponse r) {
            responses.add(r);
          }

          @Override
          public void onError(Throwable t) {
            closed.set(true);
          }

          @Override
          public void onCompleted() {
            closed.set(true);
          }
        });
  }

  private static X509Certificate leaf(DiscoveryResponse r) throws Exception {
    for (var any : r.getResourcesList()) {
      Secret s = any.unpack(Secret.class);
      if (s.getName().equals("default")) {
        String pem = s.getTlsCertificate().getCertificateChain().getInlineBytes().toStringUtf8();
        return (X509Certificate) CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
      }
    }
    throw new AssertionError("no default secret in " + r);
  }
}
