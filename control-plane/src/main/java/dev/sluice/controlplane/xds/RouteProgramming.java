package dev.sluice.controlplane.xds;

import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelRouteStatus;
import dev.sluice.translate.ProxyGroup;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether a route is running on the proxies: for every connected proxy whose group's snapshot
 * carries the route, whether the versions it acked carry the route's current generation (acked),
 * whether it rejected a version that did (nacked), or neither yet (pending). Each type is judged on
 * its own, so a proxy that rejected one type still counts as running the routes that version did
 * not change.
 */
public final class RouteProgramming {
  private final StreamRegistry streams;
  private final PublishedEpochs epochs;

  RouteProgramming(StreamRegistry streams, PublishedEpochs epochs) {
    this.streams = streams;
    this.epochs = epochs;
  }

  /** The counts, and the {@code Programmed} condition they make. */
  public record Programmed(ModelRouteStatus.ProxyCounts counts, ModelRouteStatus.Condition condition) {}

  /**
   * How many proxies run, rejected or have not acked a generation, and the first rejection seen.
   * Replicas in Kubernetes mode add up theirs, each knowing only the proxies connected to it.
   */
  public record Tally(int acked, int nacked, int pending, String firstRejection) {
    public static final Tally NONE = new Tally(0, 0, 0, null);

    public Tally plus(Tally other) {
      return new Tally(acked + other.acked, nacked + other.nacked, pending + other.pending,
          firstRejection != null ? firstRejection : other.firstRejection);
    }
  }

  public Programmed of(ModelRoute route) {
    return programmed(route.metadata().generation(), local(route));
  }

  /** The proxies connected to this control plane only. */
  public Tally local(ModelRoute route) {
    long generation = route.metadata().generation();
    return tally(route.key(), PublishedEpochs.TYPES,
        served -> served.generation() != null && served.generation() == generation);
  }

  /**
   * Of the proxies connected here that receive the route: how many run it with this weighted split
   * ({@link ModelRouteStatus#weights}), rejected a snapshot that gave it, or have neither yet. An
   * automated rollout's step starts when all run it, and a rejection rolls it back. Judged on route
   * configurations (RDS) alone, where weights live: a rejected cluster or listener, caused by another
   * route, is not a rejection of the step.
   */
  public Tally runningWeights(String key, String weights) {
    return tally(key, List.of(io.envoyproxy.controlplane.cache.Resources.V3.ROUTE_TYPE_URL),
        served -> weights.equals(served.weights()));
  }

  private Tally tally(String key, List<String> types, java.util.function.Predicate<PublishedEpochs.Served> wanted) {
    int acked = 0;
    int nacked = 0;
    int pending = 0;
    String firstRejection = null;
    // Proxies of a group hold few distinct versions: judge each version once, not once per proxy.
    Map<ProxyGroup, Carries> byGroup = new HashMap<>();
    for (StreamState s : streams.streams()) {
      if (s.node() == null) {
        continue;
      }
      Carries carries = byGroup.computeIfAbsent(s.group(), g -> new Carries(epochs.history(g), key, wanted));
      if (!carries.published()) {
        continue;
      }
      if (!carries.anywhere()) {
        pending++; // no version the group was ever sent carries it: nothing this proxy acked or rejected can
        continue;
      }
      boolean receives = false;
      boolean runs = true;
      String rejection = null;
      for (String type : types) {
        if (!s.wasSent(type)) {
          continue;
        }
        receives = true;
        if (!carries.test(type, s.ackedVersion(type))) {
          runs = false;
          ConnectedProxies.Nack nack = s.lastNack(type);
          if (nack != null && carries.test(type, nack.version())) {
            rejection = "proxy " + s.nodeId() + " rejected " + XdsMetrics.type(type) + " version " + nack.version()
                + ": " + nack.errorDetail();
          }
        }
      }
      runs &= receives;
      if (runs) {
        acked++;
      } else if (rejection != null) {
        nacked++;
        firstRejection = firstRejection == null ? rejection : firstRejection;
      } else {
        pending++;
      }
    }
    return new Tally(acked, nacked, pending, firstRejection);
  }

  /** The counts and the {@code Programmed} condition a tally of a generation makes. */
  public static Programmed programmed(long generation, Tally tally) {
    int acked = tally.acked();
    int nacked = tally.nacked();
    int pending = tally.pending();
    String firstRejection = tally.firstRejection();
    ModelRouteStatus.Condition condition;
    if (nacked > 0) {
      condition = new ModelRouteStatus.Condition("Programmed", "False", "Rejected",
          nacked + " of " + (acked + nacked + pending) + " proxies rejected generation " + generation + "; " + firstRejection);
    } else if (pending > 0) {
      condition = new ModelRouteStatus.Condition("Programmed", "False", "Pending",
          pending + " of " + (acked + pending) + " proxies have not acked generation " + generation + " yet");
    } else if (acked > 0) {
      condition = new ModelRouteStatus.Condition("Programmed", "True", "Programmed",
          "all " + acked + " proxies that receive it run generation " + generation);
    } else {
      condition = new ModelRouteStatus.Condition("Programmed", "Unknown", "NoProxies",
          "no connected proxy receives this route");
    }
    return new Programmed(new ModelRouteStatus.ProxyCounts(acked, nacked, pending), condition);
  }

  /** Whether a version of a type carries the route at the generation, judged once per version. */
  private static final class Carries {
    private final List<PublishedEpochs.Epoch> history;
    private final String key;
    private final java.util.function.Predicate<PublishedEpochs.Served> wanted;
    private final Map<String, Map<String, Boolean>> byType = new HashMap<>();
    private final boolean published;
    private final boolean anywhere;

    Carries(List<PublishedEpochs.Epoch> history, String key, java.util.function.Predicate<PublishedEpochs.Served> wanted) {
      this.history = history;
      this.key = key;
      this.wanted = wanted;
      this.published = !history.isEmpty() && history.get(0).routes().containsKey(key);
      this.anywhere = published && history.stream().map(e -> e.routes().get(key)).anyMatch(s -> s != null && wanted.test(s));
    }

    /**
     * Whether any snapshot in the history carried the route as wanted. Right after a write it is
     * false (the new generation is not published yet), and the write's status is then "pending"
     * for every proxy of the group, decided without looking at each proxy's versions.
     */
    boolean anywhere() {
      return anywhere;
    }

    /** Whether the group's latest snapshot carries the route at all (asked once per proxy: decided once). */
    boolean published() {
      return published;
    }

    boolean test(String type, String version) {
      if (version == null) {
        return false;
      }
      return byType.computeIfAbsent(type, t -> new HashMap<>())
          .computeIfAbsent(version, v -> PublishedEpochs.carries(history, type, v, key, wanted));
    }
  }
}
