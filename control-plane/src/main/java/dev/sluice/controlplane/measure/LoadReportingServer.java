package dev.sluice.controlplane.measure;

import com.google.protobuf.util.Durations;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterStats;
import io.envoyproxy.envoy.config.endpoint.v3.UpstreamLocalityStats;
import io.envoyproxy.envoy.service.load_stats.v3.LoadReportingServiceGrpc;
import io.envoyproxy.envoy.service.load_stats.v3.LoadStatsRequest;
import io.envoyproxy.envoy.service.load_stats.v3.LoadStatsResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The load reporting service (LRS) Envoy proxies ({@code cluster_manager.load_stats_config} in their
 * bootstrap) and proxyless gRPC clients (a cluster's {@code lrs_server: {self: {}}}) report to.
 *
 * <p>The first message of a stream carries the node; the server answers it once with
 * {@code send_all_clusters: true} and the interval {@code sluice.measure.load-report-interval}, and
 * never again: every answer restarts Envoy's reporting timer, and grpc-go applies only a stream's
 * first. Each later message holds, per cluster and locality, what happened since the previous one
 * (requests completed successfully, with an error, issued, in progress); the completed ones are
 * added to {@link VersionMeasurements}, attributed to Envoy or to proxyless clients by the node's
 * user agent. The first period of a cluster new to a proxy may be missing from its reports.
 *
 * <p>The server never completes a stream on its own (grpc-go and C-core would take that for a
 * failure and reconnect); it completes one only after the client did. A stream the gate refuses
 * ends with the gate's status.
 *
 * <p>Who may report is the gate's decision, per port: see the xDS package's {@code MeasurementGates}.
 */
final class LoadReportingServer extends LoadReportingServiceGrpc.LoadReportingServiceImplBase {
  private static final Logger log = LoggerFactory.getLogger(LoadReportingServer.class);

  private final VersionMeasurements measurements;
  private final com.google.protobuf.Duration interval;
  private final ReporterGate gate;
  private final Clock clock;
  private final AtomicLong nextWarning = new AtomicLong();

  LoadReportingServer(VersionMeasurements measurements, Duration interval, ReporterGate gate, Clock clock) {
    this.measurements = measurements;
    this.interval = Durations.fromNanos(interval.toNanos());
    this.gate = gate;
    this.clock = clock;
  }

  @Override
  public StreamObserver<LoadStatsRequest> streamLoadStats(StreamObserver<LoadStatsResponse> responses) {
    return new StreamObserver<>() {
      private final ReportingStream stream = new ReportingStream(gate, clock);
      private boolean answered;

      @Override
      public void onNext(LoadStatsRequest request) {
        if (stream.ended()) {
          return;
        }
        Status refusal = stream.admit(request.hasNode() ? request.getNode() : null);
        if (refusal != null) {
          stream.logRefusal(log, "load reports", nextWarning, refusal);
          responses.onError(refusal.asRuntimeException());
          return;
        }
        if (!answered) {
          answered = true;
          log.info("load-report stream opened by node {}", ReportingStream.describe(stream.node()));
          responses.onNext(LoadStatsResponse.newBuilder().setSendAllClusters(true).setLoadReportingInterval(interval).build());
        }
        record(request);
      }

      @Override
      public void onError(Throwable t) {
        if (stream.node() != null && !stream.ended()) {
          log.info("load-report stream of node {} closed: {}", stream.node().getId(), Status.fromThrowable(t));
        }
      }

      @Override
      public void onCompleted() {
        if (stream.node() != null && !stream.ended()) {
          log.info("load-report stream of node {} closed by the node", stream.node().getId());
        }
        if (!stream.ended()) {
          responses.onCompleted();
        }
      }

      private void record(LoadStatsRequest request) {
        VersionMeasurements.Reporter reporter = ReportingStream.reporter(stream.node());
        long total = 0;
        for (ClusterStats cluster : request.getClusterStatsList()) {
          long completed = 0;
          long errors = 0;
          for (UpstreamLocalityStats locality : cluster.getUpstreamLocalityStatsList()) {
            completed += locality.getTotalSuccessfulRequests() + locality.getTotalErrorRequests();
            errors += locality.getTotalErrorRequests();
          }
          measurements.loadReport(cluster.getClusterName(), reporter, completed, errors);
          total += completed;
        }
        if (log.isDebugEnabled()) {
          log.debug("load report of node {} ({}): {} clusters, {} requests completed", stream.node().getId(),
              reporter.tag, request.getClusterStatsCount(), total);
        }
      }
    };
  }
}
