package dev.sluice.benchmarks.load;

import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** Simulated proxies of one kind (state of the world or delta) connected to one xDS port, each on a connection of its own. */
final class Fleet implements AutoCloseable {
  private final Connector connector;
  private final boolean delta;
  private final List<SimulatedProxy> proxies = new ArrayList<>();
  private final List<String> nodeIds = new ArrayList<>();
  private int nextId;
  private Supplier<SimulatedProxy.EndpointObserver> observers;
  private java.util.concurrent.ScheduledExecutorService resubscriber;

  Fleet(int port, boolean delta) {
    this(Connector.plaintext(port), delta);
  }

  Fleet(Connector connector, boolean delta) {
    this.connector = connector;
    this.delta = delta;
  }

  /** Every proxy connected from now on hands its endpoint resources to an observer of its own from {@code observers}. */
  Fleet observingEndpoints(Supplier<SimulatedProxy.EndpointObserver> observers) {
    this.observers = observers;
    return this;
  }

  /** Every proxy connected from now on opens its stream again when it fails, on {@code scheduler} (the soak's restarts). */
  Fleet resubscribingOnFailure(java.util.concurrent.ScheduledExecutorService scheduler) {
    this.resubscriber = scheduler;
    return this;
  }

  int size() {
    return proxies.size();
  }

  List<SimulatedProxy> proxies() {
    return proxies;
  }

  /** Connects proxies, as fast as it can, until there are {@code n}; returns the nanoseconds until every new one has a configuration. */
  long growTo(int n) throws InterruptedException {
    CountDownLatch configured = new CountDownLatch(Math.max(0, n - proxies.size()));
    List<String> joining = new ArrayList<>();
    for (int id = nextId; joining.size() < n - proxies.size(); id++) {
      joining.add((delta ? "delta-" : "sotw-") + id);
    }
    connector.prepare(joining); // tokens, say: not part of connecting
    long start = System.nanoTime();
    for (String nodeId : joining) {
      proxies.add(connect(nodeId, configured));
      nodeIds.add(nodeId);
      nextId++;
    }
    if (!configured.await(10, TimeUnit.MINUTES)) {
      throw new IllegalStateException(configured.getCount() + " of " + n + " proxies got no configuration in 10 minutes");
    }
    return System.nanoTime() - start;
  }

  private SimulatedProxy connect(String nodeId, CountDownLatch configured) {
    ManagedChannel channel = connector.open(nodeId);
    SimulatedProxy p = delta ? new DeltaProxy(channel, configured) : new SotwProxy(channel, configured);
    if (observers != null) {
      p.observeEndpoints(observers.get());
    }
    if (resubscriber != null) {
      p.resubscribeOnFailure(resubscriber);
    }
    p.start(nodeId);
    return p;
  }

  /**
   * Proxy {@code i} hangs up (its channel closes) and connects again with the same node id, on a new
   * connection, as a restarted pod would. Not thread-safe with the fleet's other methods.
   */
  void reconnect(int i) {
    proxies.get(i).close();
    proxies.set(i, connect(nodeIds.get(i), new CountDownLatch(1)));
  }

  /** Bytes of the configuration the newest proxy received before it was configured. */
  long configBytes() {
    return proxies.get(proxies.size() - 1).configBytes;
  }

  /** Every {@code every}-th proxy stops reading its stream. */
  int stallEvery(int every) {
    int n = 0;
    for (int i = 0; i < proxies.size(); i += every) {
      proxies.get(i).stall();
      n++;
    }
    return n;
  }

  /**
   * One change: {@code trigger} makes it and returns the nanoTime the clock starts at; then waits
   * until every proxy that still reads has a route configuration other than the one it held.
   */
  Latencies change(LongSupplier trigger) throws InterruptedException {
    List<SimulatedProxy> reading = proxies.stream().filter(p -> !p.stalled()).toList();
    CountDownLatch changed = new CountDownLatch(reading.size());
    reading.forEach(p -> p.expectChange(changed));
    long start = trigger.getAsLong();
    if (!changed.await(5, TimeUnit.MINUTES)) {
      throw new IllegalStateException(changed.getCount() + " of " + reading.size() + " proxies never saw the change");
    }
    return Latencies.ofNanos(reading.stream().mapToLong(p -> p.changedAtNanos() - start).toArray());
  }

  @Override
  public void close() {
    proxies.forEach(SimulatedProxy::close);
    proxies.clear();
    nodeIds.clear();
  }
}
