package dev.sluice.controlplane.measure;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.Status;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One reporting stream's node and admission. The node comes with the first message (grpc-go and
 * C-core send it only there, Envoy's access logger too) and is pinned: a later message naming
 * another node ends the stream. The gate is asked at the first message and again every
 * {@link #RECHECK_MILLIS} at the next message.
 *
 * <p>Not thread-safe: gRPC delivers one stream's messages one at a time.
 */
final class ReportingStream {
  static final long RECHECK_MILLIS = 10_000;

  private final ReporterGate gate;
  private final Clock clock;
  private Node node;
  private long nextCheck;
  private boolean ended;

  ReportingStream(ReporterGate gate, Clock clock) {
    this.gate = gate;
    this.clock = clock;
  }

  /** The pinned node; null before the first message. */
  Node node() {
    return node;
  }

  boolean ended() {
    return ended;
  }

  /**
   * Admits one message; null when it may be counted, else the status to end the stream with (and
   * every later message is refused too).
   *
   * @param sent the node the message carries, null when it carries none
   */
  Status admit(Node sent) {
    if (ended) {
      return Status.CANCELLED.withDescription("the stream was ended");
    }
    Status refusal;
    if (node == null) {
      if (sent == null || sent.getId().isEmpty()) {
        refusal = Status.INVALID_ARGUMENT.withDescription("the first message of a stream must carry the node and its id");
      } else {
        node = sent;
        nextCheck = clock.millis() + RECHECK_MILLIS;
        refusal = gate.check(node);
      }
    } else if (sent != null && !sent.getId().isEmpty() && !sent.getId().equals(node.getId())) {
      refusal = Status.PERMISSION_DENIED.withDescription("this stream belongs to node " + node.getId()
          + "; a stream may not change its node");
    } else if (clock.millis() >= nextCheck) {
      nextCheck = clock.millis() + RECHECK_MILLIS;
      refusal = gate.check(node);
    } else {
      refusal = null;
    }
    ended = refusal != null;
    return refusal;
  }

  /**
   * Whether a refusal may be logged at WARN now: at most one every {@link #RECHECK_MILLIS} per
   * service, as a refused proxy retries every second or so, per worker; the others go to DEBUG.
   */
  static boolean warnNow(AtomicLong nextWarning, Clock clock) {
    long now = clock.millis();
    long due = nextWarning.get();
    return now >= due && nextWarning.compareAndSet(due, now + RECHECK_MILLIS);
  }

  /**
   * Logs a refusal of this stream's {@code what} ("access logs", "load reports"), naming its node:
   * at WARN when {@link #warnNow} allows, else at DEBUG.
   */
  void logRefusal(org.slf4j.Logger log, String what, AtomicLong nextWarning, Status refusal) {
    String refused = "refused the " + what + " of {}: {}";
    Object who = node == null ? "a stream without a node" : describe(node);
    if (warnNow(nextWarning, clock)) {
      log.warn(refused, who, refusal.getDescription());
    } else {
      log.debug(refused, who, refusal.getDescription());
    }
  }

  /** {@code envoy} for Envoy (which always names itself so), {@code proxyless} for everything else: gRPC clients. */
  static VersionMeasurements.Reporter reporter(Node node) {
    return "envoy".equals(node.getUserAgentName()) ? VersionMeasurements.Reporter.ENVOY
        : VersionMeasurements.Reporter.PROXYLESS;
  }

  /** The node for logs: its id and user agent. */
  static String describe(Node node) {
    String agent = node.getUserAgentName().isEmpty() ? "no user agent"
        : node.getUserAgentName() + (node.getUserAgentVersion().isEmpty() ? "" : " " + node.getUserAgentVersion());
    return node.getId() + " (" + agent + ")";
  }
}
