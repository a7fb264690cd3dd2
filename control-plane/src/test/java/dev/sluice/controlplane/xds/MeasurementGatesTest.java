package dev.sluice.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.sluice.controlplane.identity.ProvenProxy;
import dev.sluice.controlplane.identity.ProxyAuthenticator;
import dev.sluice.controlplane.identity.ProxyAuthenticators;
import dev.sluice.controlplane.measure.MeasureProperties;
import dev.sluice.controlplane.measure.MeasurementServices;
import dev.sluice.controlplane.measure.VersionMeasurements;
import dev.sluice.translate.ProxyGroup;
import dev.sluice.translate.ProxyRole;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterStats;
import io.envoyproxy.envoy.config.endpoint.v3.UpstreamLocalityStats;
import io.envoyproxy.envoy.data.accesslog.v3.AccessLogCommon;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPResponseProperties;
import io.envoyproxy.envoy.service.accesslog.v3.AccessLogServiceGrpc;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsMessage;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsResponse;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.load_stats.v3.LoadReportingServiceGrpc;
import io.envoyproxy.envoy.service.load_stats.v3.LoadStatsRequest;
import io.envoyproxy.envoy.service.load_stats.v3.LoadStatsResponse;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who may report on the TLS port, wired as {@link XdsServer} wires it (over loopback TCP, without
 * the TLS itself): load reports need the credential ADS needs, for the node it names; access logs
 * without a credential count only while the node's authenticated ADS stream is open from the same host.
 */
class MeasurementGatesTest {
  static final String CLUSTER = "ml|scorer|v1";

  final VersionMeasurements measurements = new VersionMeasurements(Clock.systemUTC(), MeasureProperties.defaults(),
      new SimpleMeterRegistry());
  Server server;
  ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    ProxyAuthenticator tokens = new ProxyAuthenticator() {
      @Override
      public Optional<ProvenProxy> authenticate(String bearer, Instant now) {
        return bearer.equals("gw-1-token")
            ? Optional.of(new ProvenProxy("ml", "gateway", "gw-1", ProxyRole.GATEWAY, Instant.MAX, "credential-1", this))
            : Optional.empty();
      }

      @Override
      public Optional<String> recheck(ProvenProxy proxy, Instant now) {
        return Optional.empty();
      }
    };
    AuthenticatedStreams authenticated = new AuthenticatedStreams(new ProxyAuthenticators(List.of(tokens)),
        Clock.systemUTC(), p -> {});
    StreamRegistry streams = new StreamRegistry(Clock.systemUTC(), g -> {});
    GuardedDiscoveryServer discovery = new GuardedDiscoveryServer(streams,
        new GuardedConfigWatcher(new SimpleCache<ProxyGroup>(new ProxyGroups())));
    MeasurementServices services = new MeasurementServices(measurements, MeasureProperties.defaults(), Clock.systemUTC());
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerInterceptors.intercept(discovery.getAggregatedDiscoveryServiceImpl(), EndableCall.CLEAN_UP,
            authenticated))
        .addService(ServerInterceptors.intercept(services.loadReporting(MeasurementGates.proven()), EndableCall.CLEAN_UP,
            authenticated))
        .addService(ServerInterceptors.intercept(services.accessLogs(MeasurementGates.provenOrVouched(streams)),
            EndableCall.CLEAN_UP, authenticated.whenPresented()))
        .build().start();
    channel = Grpc.newChannelBuilderForAddress("127.0.0.1", server.getPort(), InsecureChannelCredentials.create()).build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  static Node node(String id) {
    return Node.newBuilder().setId(id).setUserAgentName("envoy").setMetadata(Struct.newBuilder()
        .putFields("sluice.role", Value.newBuilder().setStringValue("gateway").build())).build();
  }

  Channel as(String token) {
    if (token == null) {
      return channel;
    }
    Metadata headers = new Metadata();
    headers.put(AuthenticatedStreams.AUTHORIZATION, "Bearer " + token);
    return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  static final class Received<T> implements StreamObserver<T> {
    final BlockingQueue<T> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<Status> closed = new LinkedBlockingQueue<>();

    @Override
    public void onNext(T value) {
      messages.add(value);
    }

    @Override
    public void onError(Throwable t) {
      closed.add(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      closed.add(Status.OK);
    }
  }

  /** Sends one load report for {@code CLUSTER} (5 requests, 1 error); what the stream got back. */
  Received<LoadStatsResponse> report(String token, String nodeId) {
    Received<LoadStatsResponse> received = new Received<>();
    LoadReportingServiceGrpc.newStub(as(token)).streamLoadStats(received).onNext(LoadStatsRequest.newBuilder()
        .setNode(node(nodeId))
        .addClusterStats(ClusterStats.newBuilder().setClusterName(CLUSTER).addUpstreamLocalityStats(
            UpstreamLocalityStats.newBuilder().setTotalSuccessfulRequests(4).setTotalErrorRequests(1)))
        .build());
    return received;
  }

  /** Sends one access log entry for {@code CLUSTER} without a credential; what the stream got back. */
  Received<StreamAccessLogsResponse> log(String nodeId) {
    Received<StreamAccessLogsResponse> received = new Received<>();
    AccessLogServiceGrpc.newStub(channel).streamAccessLogs(received).onNext(StreamAccessLogsMessage.newBuilder()
        .setIdentifier(StreamAccessLogsMessage.Identifier.newBuilder().setNode(node(nodeId)).setLogName("sluice"))
        .setHttpLogs(StreamAccessLogsMessage.HTTPAccessLogEntries.newBuilder().addLogEntry(HTTPAccessLogEntry.newBuilder()
            .setCommonProperties(AccessLogCommon.newBuilder().setUpstreamCluster(CLUSTER))
            .setResponse(HTTPResponseProperties.newBuilder().setResponseCode(com.google.protobuf.UInt32Value.of(200)))))
        .build());
    return received;
  }

  @Test
  void loadReports_needTheCredentialADSNeeds_forTheNodeItNames() throws Exception {
    Received<LoadStatsResponse> proven = report("gw-1-token", "gw-1");
    Received<LoadStatsResponse> anonymous = report(null, "gw-1");
    Received<LoadStatsResponse> forged = report("not-a-token", "gw-1");
    Received<LoadStatsResponse> otherNode = report("gw-1-token", "gw-2");

    assertThat(proven.messages.poll(5, TimeUnit.SECONDS)).isNotNull();
    assertThat(anonymous.closed.poll(5, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(forged.closed.poll(5, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    Status refused = otherNode.closed.poll(5, TimeUnit.SECONDS);
    assertThat(refused.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(refused.getDescription()).contains("is for node gw-1, not gw-2");
    assertThat(measurements.totals(CLUSTER).envoyLrsRequests()).isEqualTo(5);
    assertThat(measurements.totals(CLUSTER).envoyLrsErrors()).isEqualTo(1);
  }

  @Test
  void accessLogsWithoutACredential_countOnlyWhileTheNodesAuthenticatedAdsStreamIsOpenFromTheSameHost() throws Exception {
    assertThat(log("gw-1").closed.poll(5, TimeUnit.SECONDS).getCode())
        .as("no ADS stream yet").isEqualTo(Status.Code.UNAUTHENTICATED);

    Received<DiscoveryResponse> adsReplies = new Received<>();
    StreamObserver<DiscoveryRequest> ads = AggregatedDiscoveryServiceGrpc.newStub(as("gw-1-token"))
        .streamAggregatedResources(adsReplies);
    ads.onNext(DiscoveryRequest.newBuilder().setNode(node("gw-1"))
        .setTypeUrl("type.googleapis.com/envoy.config.cluster.v3.Cluster").build());
    Received<StreamAccessLogsResponse> vouched = null;
    for (int i = 0; i < 50 && vouched == null; i++) { // until the ADS request is handled and its node pinned
      Received<StreamAccessLogsResponse> attempt = log("gw-1");
      if (attempt.closed.poll(300, TimeUnit.MILLISECONDS) == null) {
        vouched = attempt;
      }
    }
    Received<StreamAccessLogsResponse> stranger = log("gw-2");

    assertThat(vouched).as("a log stream admitted once the node's ADS stream is open").isNotNull();
    assertThat(measurements.totals(CLUSTER).loggedRequests()).isEqualTo(1);
    assertThat(stranger.closed.poll(5, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);

    ads.onCompleted();
    assertThat(adsReplies.closed.poll(5, TimeUnit.SECONDS)).isNotNull();
    Status afterAds = null;
    for (int i = 0; i < 100 && afterAds == null; i++) {
      afterAds = log("gw-1").closed.poll(50, TimeUnit.MILLISECONDS);
    }
    assertThat(afterAds.getCode()).as("the ADS stream is gone").isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(measurements.totals(CLUSTER).loggedRequests()).isEqualTo(1);
  }
}
