package dev.sluice.controlplane.measure;

import dev.sluice.controlplane.xds.MutableClock;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.UInt32Value;
import com.google.protobuf.util.Durations;
import dev.sluice.controlplane.measure.VersionMeasurements.Outcome;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterStats;
import io.envoyproxy.envoy.config.endpoint.v3.UpstreamLocalityStats;
import io.envoyproxy.envoy.data.accesslog.v3.AccessLogCommon;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPResponseProperties;
import io.envoyproxy.envoy.service.accesslog.v3.AccessLogServiceGrpc;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsMessage;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsResponse;
import io.envoyproxy.envoy.service.load_stats.v3.LoadReportingServiceGrpc;
import io.envoyproxy.envoy.service.load_stats.v3.LoadStatsRequest;
import io.envoyproxy.envoy.service.load_stats.v3.LoadStatsResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The load-report and access-log services over in-process gRPC, as Envoy and gRPC clients speak to them. */
class MeasurementServersTest {
  static final Node ENVOY = Node.newBuilder().setId("gw-1").setUserAgentName("envoy").build();
  static final Node GRPC_JAVA = Node.newBuilder().setId("client-1").setUserAgentName("gRPC Java").setUserAgentVersion("1.85.1").build();

  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final VersionMeasurements measurements = new VersionMeasurements(clock, MeasureProperties.defaults(),
      VersionMetrics.unregistered());
  Server server;
  ManagedChannel channel;

  void start(ReporterGate gate) throws Exception {
    MeasurementServices services = new MeasurementServices(measurements,
        new MeasureProperties(Duration.ofSeconds(3), null, null, null), clock);
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(services.loadReporting(gate)).addService(services.accessLogs(gate)).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() {
    if (channel != null) {
      channel.shutdownNow();
      server.shutdownNow();
    }
  }

  /** What a client's stream received. */
  static final class Received<T> implements StreamObserver<T> {
    final BlockingQueue<T> messages = new LinkedBlockingQueue<>();
    volatile Status closed;

    @Override
    public void onNext(T value) {
      messages.add(value);
    }

    @Override
    public void onError(Throwable t) {
      closed = Status.fromThrowable(t);
    }

    @Override
    public void onCompleted() {
      closed = Status.OK;
    }

    void awaitClosed() throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (closed == null && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
    }
  }

  static LoadStatsRequest report(Node node, String cluster, long ok, long errors) {
    LoadStatsRequest.Builder r = LoadStatsRequest.newBuilder().addClusterStats(ClusterStats.newBuilder()
        .setClusterName(cluster)
        .addUpstreamLocalityStats(UpstreamLocalityStats.newBuilder().setTotalSuccessfulRequests(ok - 1)
            .setTotalErrorRequests(errors).setTotalIssuedRequests(ok + errors).setTotalRequestsInProgress(3))
        .addUpstreamLocalityStats(UpstreamLocalityStats.newBuilder().setTotalSuccessfulRequests(1)));
    return node == null ? r.build() : r.setNode(node).build();
  }

  @Test
  void loadReports_areAnsweredOnceWithAllClustersAndTheInterval_andTheirDeltasAdded() throws Exception {
    start(ReporterGate.ANYONE);
    Received<LoadStatsResponse> envoySide = new Received<>();
    StreamObserver<LoadStatsRequest> envoy = LoadReportingServiceGrpc.newStub(channel).streamLoadStats(envoySide);
    envoy.onNext(LoadStatsRequest.newBuilder().setNode(ENVOY).build()); // Envoy's first message: the node alone
    envoy.onNext(report(ENVOY, "ml|scorer|v1", 10, 2));
    envoy.onNext(report(ENVOY, "ml|scorer|v1", 5, 0));
    envoy.onNext(report(ENVOY, "sluice-xds", 100, 0));
    Received<LoadStatsResponse> clientSide = new Received<>();
    StreamObserver<LoadStatsRequest> client = LoadReportingServiceGrpc.newStub(channel).streamLoadStats(clientSide);
    client.onNext(report(GRPC_JAVA, "ml|scorer|v2", 4, 1));
    client.onNext(report(null, "ml|scorer|v2", 6, 0)); // grpc-go and C-core: the node only in the first

    LoadStatsResponse answer = envoySide.messages.poll(5, TimeUnit.SECONDS);
    assertThat(answer.getSendAllClusters()).isTrue();
    assertThat(answer.getLoadReportingInterval()).isEqualTo(Durations.fromSeconds(3));
    assertThat(envoySide.messages).as("one answer per stream: every answer restarts Envoy's timer").isEmpty();
    assertThat(envoySide.closed).as("the server never ends a reporting stream").isNull();
    assertThat(clientSide.messages).hasSize(1);
    assertThat(measurements.totals("ml|scorer|v1").envoyLrsRequests()).isEqualTo(17);
    assertThat(measurements.totals("ml|scorer|v1").envoyLrsErrors()).isEqualTo(2);
    assertThat(measurements.totals("ml|scorer|v1").proxylessRequests()).isZero();
    assertThat(measurements.totals("ml|scorer|v2").proxylessRequests()).isEqualTo(11);
    assertThat(measurements.totals("ml|scorer|v2").proxylessErrors()).isEqualTo(1);
    assertThat(measurements.clusters()).containsExactly("ml|scorer|v1", "ml|scorer|v2");

    envoy.onCompleted();
    envoySide.awaitClosed();
    assertThat(envoySide.closed.isOk()).isTrue();
  }

  @Test
  void aStreamWithoutANode_orChangingIt_isEnded() throws Exception {
    start(ReporterGate.ANYONE);
    Received<LoadStatsResponse> anonymous = new Received<>();
    LoadReportingServiceGrpc.newStub(channel).streamLoadStats(anonymous).onNext(report(null, "ml|scorer|v1", 5, 0));
    Received<LoadStatsResponse> switching = new Received<>();
    StreamObserver<LoadStatsRequest> s = LoadReportingServiceGrpc.newStub(channel).streamLoadStats(switching);
    s.onNext(report(ENVOY, "ml|scorer|v1", 5, 0));
    s.onNext(report(GRPC_JAVA, "ml|scorer|v1", 7, 0));

    assertThat(anonymous.closed.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(switching.closed.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(measurements.totals("ml|scorer|v1").envoyLrsRequests()).isEqualTo(5);
  }

  @Test
  void theGate_decidesAtTheFirstMessage_andAgainLater() throws Exception {
    java.util.concurrent.atomic.AtomicBoolean allowed = new java.util.concurrent.atomic.AtomicBoolean(true);
    start(node -> node.getId().equals("gw-1") && allowed.get() ? null : Status.UNAUTHENTICATED.withDescription("no"));
    Received<LoadStatsResponse> stranger = new Received<>();
    LoadReportingServiceGrpc.newStub(channel).streamLoadStats(stranger)
        .onNext(report(GRPC_JAVA, "ml|scorer|v1", 1000, 1000));
    Received<StreamAccessLogsResponse> logs = new Received<>();
    StreamObserver<StreamAccessLogsMessage> worker = AccessLogServiceGrpc.newStub(channel).streamAccessLogs(logs);
    worker.onNext(logs(ENVOY, entry("ml|scorer|v1", 200, null, null, 5)));
    allowed.set(false);
    worker.onNext(logs(null, entry("ml|scorer|v1", 200, null, null, 5))); // within the recheck period
    clock.advance(Duration.ofMillis(ReportingStream.RECHECK_MILLIS));
    worker.onNext(logs(null, entry("ml|scorer|v1", 200, null, null, 5)));

    assertThat(stranger.closed.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(stranger.messages).isEmpty();
    assertThat(logs.closed.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(measurements.totals("ml|scorer|v1").proxylessRequests()).isZero();
    assertThat(measurements.totals("ml|scorer|v1").logged()).containsExactly(Map.entry(new Outcome(200, -1), 2L));
  }

  static HTTPAccessLogEntry entry(String cluster, Integer status, String trailerStatus, String headerStatus, long latencyMillis) {
    AccessLogCommon.Builder common = AccessLogCommon.newBuilder();
    if (cluster != null) {
      common.setUpstreamCluster(cluster);
    }
    if (latencyMillis >= 0) {
      common.setTimeToLastUpstreamRxByte(Durations.fromMillis(latencyMillis));
    }
    HTTPResponseProperties.Builder response = HTTPResponseProperties.newBuilder();
    if (status != null) {
      response.setResponseCode(UInt32Value.of(status));
    }
    if (trailerStatus != null) {
      response.putResponseTrailers("grpc-status", trailerStatus);
    }
    if (headerStatus != null) {
      response.putResponseHeaders("grpc-status", headerStatus);
    }
    return HTTPAccessLogEntry.newBuilder().setCommonProperties(common).setResponse(response).build();
  }

  static StreamAccessLogsMessage logs(Node node, HTTPAccessLogEntry... entries) {
    StreamAccessLogsMessage.Builder m = StreamAccessLogsMessage.newBuilder()
        .setHttpLogs(StreamAccessLogsMessage.HTTPAccessLogEntries.newBuilder().addAllLogEntry(List.of(entries)));
    if (node != null) {
      m.setIdentifier(StreamAccessLogsMessage.Identifier.newBuilder().setNode(node).setLogName("sluice"));
    }
    return m.build();
  }

  @Test
  void accessLogs_becomeOutcomesAndLatencies_perVersion() throws Exception {
    start(ReporterGate.ANYONE);
    Received<StreamAccessLogsResponse> received = new Received<>();
    StreamObserver<StreamAccessLogsMessage> worker = AccessLogServiceGrpc.newStub(channel).streamAccessLogs(received);
    worker.onNext(logs(ENVOY,
        entry("ml|scorer|v1", 200, null, null, 12),
        entry("ml|scorer|v1", 503, null, null, -1),          // Envoy answered: no server
        entry(null, 404, null, null, -1)));                  // no route: no version
    worker.onNext(logs(null,
        entry("ml|scorer|v2", 200, "0", null, 30),           // gRPC OK, in the trailers
        entry("ml|scorer|v2", 200, null, "14", 2),           // trailers-only UNAVAILABLE
        entry("ml|scorer|v2", 200, "99", null, 2),           // not a gRPC code: UNKNOWN
        entry("ml|scorer|v2", null, null, null, -1)));       // the caller went away

    VersionMeasurements.VersionTotals v1 = measurements.totals("ml|scorer|v1");
    VersionMeasurements.VersionTotals v2 = measurements.totals("ml|scorer|v2");
    assertThat(v1.logged()).containsOnly(Map.entry(new Outcome(200, -1), 1L), Map.entry(new Outcome(503, -1), 1L));
    assertThat(v1.latencyMicros().getTotalCount()).isEqualTo(1);
    assertThat(v1.latencyMicros().getMaxValue()).isBetween(11_900L, 12_100L);
    assertThat(v2.logged()).containsOnly(Map.entry(new Outcome(200, 0), 1L), Map.entry(new Outcome(200, 14), 1L),
        Map.entry(new Outcome(200, 2), 1L), Map.entry(new Outcome(0, -1), 1L));
    assertThat(v2.since(null, VersionMeasurements.FailurePolicy.SERVER_ERRORS))
        .isEqualTo(new VersionMeasurements.Window(4, 2, v2.since(null, o -> true).p99Millis(), 3));
    assertThat(measurements.clusters()).containsExactly("ml|scorer|v1", "ml|scorer|v2");

    worker.onCompleted();
    received.awaitClosed();
    assertThat(received.closed.isOk()).isTrue();
  }
}
