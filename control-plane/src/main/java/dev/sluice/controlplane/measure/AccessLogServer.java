package dev.sluice.controlplane.measure;

import com.google.protobuf.util.Durations;
import io.envoyproxy.envoy.data.accesslog.v3.AccessLogCommon;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPResponseProperties;
import io.envoyproxy.envoy.service.accesslog.v3.AccessLogServiceGrpc;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsMessage;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access-log service (ALS) Envoy's {@code envoy.access_loggers.http_grpc} logger streams to: the
 * connection managers of gateways and sidecars carry it when a route they serve has
 * {@code spec.rollout}. Each Envoy worker opens its own stream; its first message names the node
 * ({@code identifier}), later ones only carry entries, in batches about every second.
 *
 * <p>Each HTTP entry whose request reached a version (its {@code upstream_cluster}) becomes one
 * {@link VersionMeasurements.Outcome}: the HTTP status Envoy sent downstream and the response's
 * {@code grpc-status} (logged from the trailers, or from the headers of a trailers-only response),
 * and, when the version's server answered, the latency up to its answer's last byte
 * ({@code time_to_last_upstream_rx_byte}). Entries of no cluster (no route, direct responses) and
 * TCP entries are skipped. Envoy drops entries when its buffer to this service is full, so the
 * logs are a sample when the control plane falls behind; the load reports are not.
 *
 * <p>Who may send logs is the gate's decision, per port: see the xDS package's {@code MeasurementGates}.
 */
final class AccessLogServer extends AccessLogServiceGrpc.AccessLogServiceImplBase {
  private static final Logger log = LoggerFactory.getLogger(AccessLogServer.class);
  static final String GRPC_STATUS = "grpc-status";
  /** gRPC's UNKNOWN: what gRPC makes of a status code it does not know. */
  private static final int UNKNOWN = 2;
  private static final int MAX_GRPC_STATUS = 16;

  private final VersionMeasurements measurements;
  private final ReporterGate gate;
  private final Clock clock;
  private final AtomicLong nextWarning = new AtomicLong();

  AccessLogServer(VersionMeasurements measurements, ReporterGate gate, Clock clock) {
    this.measurements = measurements;
    this.gate = gate;
    this.clock = clock;
  }

  @Override
  public StreamObserver<StreamAccessLogsMessage> streamAccessLogs(StreamObserver<StreamAccessLogsResponse> responses) {
    return new StreamObserver<>() {
      private final ReportingStream stream = new ReportingStream(gate, clock);

      @Override
      public void onNext(StreamAccessLogsMessage message) {
        if (stream.ended()) {
          return;
        }
        boolean first = stream.node() == null;
        Status refusal = stream.admit(message.hasIdentifier() && message.getIdentifier().hasNode()
            ? message.getIdentifier().getNode() : null);
        if (refusal != null) {
          stream.logRefusal(log, "access logs", nextWarning, refusal);
          responses.onError(refusal.asRuntimeException());
          return;
        }
        if (first) {
          log.info("access-log stream opened by node {} (log {})", ReportingStream.describe(stream.node()),
              message.getIdentifier().getLogName());
        }
        int entries = message.getHttpLogs().getLogEntryCount();
        for (HTTPAccessLogEntry entry : message.getHttpLogs().getLogEntryList()) {
          record(entry);
        }
        if (log.isDebugEnabled()) {
          log.debug("access logs of node {}: {} HTTP entries", stream.node().getId(), entries);
        }
      }

      @Override
      public void onError(Throwable t) {
        if (stream.node() != null && !stream.ended()) {
          log.info("access-log stream of node {} closed: {}", stream.node().getId(), Status.fromThrowable(t));
        }
      }

      @Override
      public void onCompleted() {
        if (stream.ended()) {
          return;
        }
        if (stream.node() != null) {
          log.info("access-log stream of node {} closed by the node", stream.node().getId());
        }
        responses.onNext(StreamAccessLogsResponse.getDefaultInstance());
        responses.onCompleted();
      }
    };
  }

  private void record(HTTPAccessLogEntry entry) {
    AccessLogCommon common = entry.getCommonProperties();
    String cluster = common.getUpstreamCluster();
    if (cluster.isEmpty()) {
      return;
    }
    HTTPResponseProperties response = entry.getResponse();
    int http = response.hasResponseCode() ? (int) Math.min(999, response.getResponseCode().getValue()) : 0;
    long latency = common.hasTimeToLastUpstreamRxByte()
        ? Math.max(0, Durations.toMicros(common.getTimeToLastUpstreamRxByte())) : -1;
    measurements.logged(cluster, new VersionMeasurements.Outcome(http, grpcStatus(response)), latency);
  }

  /** The response's gRPC status: from the trailers, else the headers (trailers-only); -1 when neither has one. */
  static int grpcStatus(HTTPResponseProperties response) {
    String value = response.getResponseTrailersMap().get(GRPC_STATUS);
    if (value == null) {
      value = response.getResponseHeadersMap().get(GRPC_STATUS);
    }
    if (value == null) {
      return VersionMeasurements.Outcome.NO_GRPC_STATUS;
    }
    try {
      int code = Integer.parseInt(value.trim());
      return code >= 0 && code <= MAX_GRPC_STATUS ? code : UNKNOWN;
    } catch (NumberFormatException e) {
      return UNKNOWN;
    }
  }
}
