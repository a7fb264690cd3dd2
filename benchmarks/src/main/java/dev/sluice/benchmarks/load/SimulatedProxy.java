package dev.sluice.benchmarks.load;

import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * One simulated gateway proxy: one channel, one ADS stream, every response ACKed with its nonce
 * and its resources left packed. What it records is about route configurations: when it first had
 * one, when it received one other than the one it held when told to expect a change, and (for
 * churn) when it first saw each route version. Given an {@link EndpointObserver}, it hands it the
 * endpoint resources of each response (the slice churn). A proxy told to {@link #stall} stops
 * reading its stream, as a stuck proxy would: it requests no more messages, so HTTP/2 flow control
 * backs up.
 *
 * <p>Callbacks run on the channel's event loop (direct executor); the benchmark's thread only sets
 * expectations between changes and reads results after them.
 */
abstract class SimulatedProxy {
  static final String CDS = Resources.V3.CLUSTER_TYPE_URL;
  static final String EDS = Resources.V3.ENDPOINT_TYPE_URL;
  static final String LDS = Resources.V3.LISTENER_TYPE_URL;
  static final String RDS = Resources.V3.ROUTE_TYPE_URL;
  static final List<String> TYPES = List.of(CDS, EDS, LDS, RDS);

  protected final ManagedChannel channel;
  private final CountDownLatch configured;
  private final Map<String, Long> firstSeen = new ConcurrentHashMap<>();
  private volatile boolean recordVersions;
  private volatile String routesVersion;
  private volatile String changeFrom;
  private volatile long changedAt = -1;
  private volatile CountDownLatch changed;
  private volatile boolean stalled;
  private volatile boolean closing;
  private volatile ClientCallStreamObserver<?> call;
  private volatile EndpointObserver endpointObserver;
  private volatile java.util.concurrent.ScheduledExecutorService resubscriber;
  private volatile int failuresInARow;
  volatile long configBytes;
  private long bytes;
  /** Which of {@link #TYPES} have arrived at least once, a bit each; the proxy is configured when all have and it holds routes. */
  private int typesSeen;
  private boolean configuredOnce;

  /** Sees the endpoint resources of each ACKed response, still packed; none unless set. */
  @FunctionalInterface
  interface EndpointObserver {
    /** On the proxy's event loop, right after the ACK: the response's version, its assignments, when it was ACKed. */
    void endpoints(String version, List<Any> assignments, long ackedAtNanos);
  }

  SimulatedProxy(ManagedChannel channel, CountDownLatch configured) {
    this.channel = channel;
    this.configured = configured;
  }

  /** Opens the stream and subscribes as a gateway with this node id. */
  abstract void start(String nodeId);

  static Node node(String nodeId) {
    return Node.newBuilder().setId(nodeId).setMetadata(Struct.newBuilder()
        .putFields("sluice.role", Value.newBuilder().setStringValue("gateway").build())).build();
  }

  /** The stream is open: it reads one message at a time, so that it can stop reading. */
  protected final void opened(ClientCallStreamObserver<?> stream) {
    stream.disableAutoRequestWithInitial(1);
    this.call = stream;
  }

  /** A response of this type and size arrived. */
  protected final void received(String typeUrl, int size) {
    bytes += size;
    failuresInARow = 0;
    int type = TYPES.indexOf(typeUrl);
    if (type >= 0) {
      typesSeen |= 1 << type;
      configuredOnce();
    }
  }

  /**
   * Configured: every type has arrived and a route configuration is held, whatever order the server
   * sent them in (Sluice sends route configurations last; go-control-plane answers watches in the
   * order they open).
   */
  private void configuredOnce() {
    if (!configuredOnce && routesVersion != null && typesSeen == (1 << TYPES.size()) - 1) {
      configuredOnce = true;
      configBytes = bytes;
      configured.countDown();
    }
  }

  /** The response is handled and ACKed: read the next one, unless stalled. */
  protected final void next() {
    if (!stalled) {
      call.request(1);
    }
  }

  /** Whether a response's endpoint resources are to be handed to an {@link EndpointObserver}. */
  protected final boolean observesEndpoints() {
    return endpointObserver != null;
  }

  /** The ACKed response carried these endpoint resources. */
  protected final void endpoints(String version, List<Any> assignments, long ackedAtNanos) {
    EndpointObserver o = endpointObserver;
    if (o != null) {
      o.endpoints(version, assignments, ackedAtNanos);
    }
  }

  /** From now on, hand every response's endpoint resources to {@code observer}. */
  void observeEndpoints(EndpointObserver observer) {
    endpointObserver = observer;
  }

  /** The ACKed response carried route configurations at this version. */
  protected final void routes(String version) {
    long now = System.nanoTime();
    if (recordVersions) {
      firstSeen.putIfAbsent(version, now);
    }
    String held = routesVersion;
    routesVersion = version;
    if (held == null) {
      configuredOnce();
      return;
    }
    CountDownLatch c = changed;
    if (c != null && changedAt < 0 && !version.equals(changeFrom)) {
      changedAt = now;
      c.countDown();
    }
  }

  protected final void failed(String nodeId, Throwable t) {
    if (closing) {
      return;
    }
    java.util.concurrent.ScheduledExecutorService again = resubscriber;
    if (again == null) {
      System.err.println("stream of " + nodeId + " failed: " + t);
      return;
    }
    // As Envoy does: open a new stream after a jittered backoff (0.5 s doubling to 4 s) and subscribe afresh.
    int failures = Math.min(failuresInARow++, 3);
    long delayMs = (500L << failures) + java.util.concurrent.ThreadLocalRandom.current().nextLong(500);
    again.schedule(() -> {
      if (!closing) {
        channel.resetConnectBackoff();
        start(nodeId);
      }
    }, delayMs, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** From now on, a stream that fails (the control plane restarted, say) is opened again on {@code scheduler}. */
  void resubscribeOnFailure(java.util.concurrent.ScheduledExecutorService scheduler) {
    resubscriber = scheduler;
  }

  /** The route configuration version this proxy holds, or null before its first. */
  String routesVersion() {
    return routesVersion;
  }

  /** Counts down when a route configuration other than the one held now arrives. */
  void expectChange(CountDownLatch latch) {
    changeFrom = routesVersion;
    changedAt = -1;
    changed = latch;
  }

  long changedAtNanos() {
    return changedAt;
  }

  /** From now on, remember when each route version was first seen. */
  void recordVersions() {
    recordVersions = true;
  }

  Map<String, Long> firstSeen() {
    return firstSeen;
  }

  void forgetVersions() {
    recordVersions = false;
    firstSeen.clear();
  }

  void stall() {
    stalled = true;
  }

  boolean stalled() {
    return stalled;
  }

  void close() {
    closing = true;
    channel.shutdownNow();
  }
}
