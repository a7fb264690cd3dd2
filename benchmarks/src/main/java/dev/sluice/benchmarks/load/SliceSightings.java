package dev.sluice.benchmarks.load;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * What the proxies saw of the slice churn: for every (change, proxy) pair, when the proxy ACKed the
 * first endpoints that reflect that change or a later one of the same slice (a publication may fold
 * several changes of a slice into one). Matched by content, never by timing: a proxy's
 * ClusterLoadAssignment is reduced to its set of addresses, which names one state of its slice
 * ({@link SliceWorkload}); the driver registers each state with {@link #expect} before it writes
 * the change, so an assignment can never name a state that is not registered yet.
 *
 * <p>Thread-safety: {@link #initial} and {@link #expect} are called by the driver's writer thread,
 * each proxy's observer on that proxy's event loop. A state's change ids are written before its key
 * is put in a concurrent map, which the observers read; the count of reached pairs is an atomic that
 * each observer increments after writing its times, so the driver reads the times after reading it.
 */
final class SliceSightings {
  private final Map<String, Cluster> clusters = new HashMap<>();
  private final int changes;
  private final List<Seen> proxies = new CopyOnWriteArrayList<>();
  private final AtomicLong reached = new AtomicLong();
  private final AtomicLong unmatched = new AtomicLong();
  private final AtomicLong regressions = new AtomicLong();

  /** A cluster's states in order: state 0 is the one before any change; state j was made by change {@code changeOf[j]}. */
  private static final class Cluster {
    final int index;
    final Map<String, Integer> stateByKey = new ConcurrentHashMap<>();
    final int[] changeOf;
    int states;

    Cluster(int index, int capacity) {
      this.index = index;
      this.changeOf = new int[capacity];
    }
  }

  /**
   * @param initial each cluster's state before any change (a cluster name to its key)
   * @param changes how many changes will be made, across all clusters
   */
  SliceSightings(Map<String, String> initial, int changes) {
    this.changes = changes;
    int capacity = changes / Math.max(1, initial.size()) + 2;
    for (Map.Entry<String, String> e : initial.entrySet()) {
      Cluster c = new Cluster(clusters.size(), capacity);
      c.changeOf[0] = -1;
      c.states = 1;
      c.stateByKey.put(e.getValue(), 0);
      clusters.put(e.getKey(), c);
    }
  }

  /** Change {@code change} is about to give {@code cluster} the state {@code key}. */
  void expect(String cluster, String key, int change) {
    Cluster c = clusters.get(cluster);
    int j = c.states++;
    c.changeOf[j] = change;
    if (c.stateByKey.putIfAbsent(key, j) != null) {
      throw new IllegalStateException("state " + key + " of " + cluster + " repeats: the workload must never repeat one");
    }
  }

  /** A new proxy's observer. */
  SimulatedProxy.EndpointObserver newProxy() {
    Seen seen = new Seen();
    proxies.add(seen);
    return seen;
  }

  /** Whether every proxy has received every cluster's endpoints at least once. */
  boolean allHoldEveryCluster() {
    return proxies.stream().allMatch(p -> p.clustersHeld == clusters.size());
  }

  /** (change, proxy) pairs reached so far. */
  long reached() {
    return reached.get();
  }

  long pairs() {
    return (long) changes * proxies.size();
  }

  /** Assignments whose addresses named no registered state of their cluster: must be 0. */
  long unmatched() {
    return unmatched.get();
  }

  /** Assignments that named a state older than the one the proxy held: must be 0. */
  long regressions() {
    return regressions.get();
  }

  /**
   * EDS responses that moved some cluster on to a change from {@code from} on, as the first proxy
   * received them: about the publications.
   */
  int progressingResponses(int from) {
    if (proxies.isEmpty()) {
      return 0;
    }
    Seen first = proxies.get(0);
    return (int) IntStream.range(from, changes).mapToLong(k -> first.reachedAt[k])
        .filter(t -> t != 0).distinct().count();
  }

  /** (change, proxy) pairs from change {@code from} on that no proxy reached. */
  long missing(int from) {
    long n = 0;
    for (Seen p : proxies) {
      for (int k = from; k < changes; k++) {
        n += p.reachedAt[k] == 0 ? 1 : 0;
      }
    }
    return n;
  }

  /**
   * Nanoseconds from each change's acceptance to each proxy's ACK that reflects it, over every
   * reached pair from change {@code from} on; call after {@link #reached()} stopped growing.
   */
  long[] latencies(long[] acceptedAt, int from) {
    long[] out = new long[proxies.size() * (changes - from)];
    int n = 0;
    for (Seen p : proxies) {
      for (int k = from; k < changes; k++) {
        long t = p.reachedAt[k];
        if (t != 0) {
          out[n++] = t - acceptedAt[k];
        }
      }
    }
    return Arrays.copyOf(out, n);
  }

  /**
   * One proxy's view: the state it holds of each cluster, and when it reached each change. An
   * assignment whose bytes equal those of one it holds (state of the world sends every cluster in
   * every response) names the state it holds, and is not parsed again.
   */
  private final class Seen implements SimulatedProxy.EndpointObserver {
    final int[] held = new int[clusters.size()];
    final ByteString[] heldBytes = new ByteString[clusters.size()];
    final Set<ByteString> known = new HashSet<>();
    final long[] reachedAt = new long[changes];
    volatile int clustersHeld;

    Seen() {
      Arrays.fill(held, -1);
    }

    @Override
    public void endpoints(String version, List<Any> assignments, long ackedAtNanos) {
      int moved = 0;
      for (Any packed : assignments) {
        if (known.contains(packed.getValue())) {
          continue;
        }
        ClusterLoadAssignment cla;
        try {
          cla = ClusterLoadAssignment.parseFrom(packed.getValue());
        } catch (InvalidProtocolBufferException e) {
          throw new IllegalStateException("an assignment that does not parse", e);
        }
        Cluster c = clusters.get(cla.getClusterName());
        if (c == null) {
          continue;
        }
        Integer j = c.stateByKey.get(key(cla));
        if (j == null) {
          unmatched.incrementAndGet();
          continue;
        }
        int from = held[c.index];
        if (from < 0) {
          clustersHeld++; // one writer: this event loop
        }
        if (j < from) {
          regressions.incrementAndGet();
          continue;
        }
        if (heldBytes[c.index] != null) {
          known.remove(heldBytes[c.index]);
        }
        heldBytes[c.index] = packed.getValue();
        known.add(packed.getValue());
        for (int s = Math.max(1, from + 1); s <= j; s++) {
          reachedAt[c.changeOf[s]] = ackedAtNanos;
          moved++;
        }
        held[c.index] = Math.max(from, j);
      }
      if (moved > 0) {
        reached.addAndGet(moved);
      }
    }
  }

  /** The same name {@link SliceWorkload#key} gives a state: the assignment's addresses, sorted. */
  private static String key(ClusterLoadAssignment cla) {
    List<String> ipPorts = new ArrayList<>();
    for (LocalityLbEndpoints locality : cla.getEndpointsList()) {
      for (LbEndpoint lb : locality.getLbEndpointsList()) {
        SocketAddress a = lb.getEndpoint().getAddress().getSocketAddress();
        ipPorts.add(a.getAddress() + ":" + a.getPortValue());
      }
    }
    return SliceWorkload.key(ipPorts);
  }
}
