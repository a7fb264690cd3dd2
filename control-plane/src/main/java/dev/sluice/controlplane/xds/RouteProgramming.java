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

  public Programmed of(ModelRoute route) {
    String key = route.key();
    long generation = route.metadata().generation();
    int acked = 0;
    int nacked = 0;
    int pending = 0;
    String firstRejection = null;
    Map<ProxyGroup, List<PublishedEpochs.Epoch>> histories = new HashMap<>(); // read once per group, not per stream
    for (StreamState s : streams.streams()) {
      if (s.node() == null) {
        continue;
      }
      List<PublishedEpochs.Epoch> history = histories.computeIfAbsent(s.group(), epochs::history);
      if (history.isEmpty() || !history.get(0).routes().containsKey(key)) {
        continue;
      }
      List<String> types = PublishedEpochs.TYPES.stream().filter(s.typesSent()::contains).toList();
      boolean runs = !types.isEmpty();
      String rejection = null;
      for (String type : types) {
        if (!PublishedEpochs.carries(history, type, s.ackedVersion(type), key, generation)) {
          runs = false;
          ConnectedProxies.Nack nack = s.lastNack(type);
          if (nack != null && PublishedEpochs.carries(history, type, nack.version(), key, generation)) {
            rejection = "proxy " + s.nodeId() + " rejected " + XdsMetrics.type(type) + " version " + nack.version()
                + ": " + nack.errorDetail();
          }
        }
      }
      if (runs) {
        acked++;
      } else if (rejection != null) {
        nacked++;
        firstRejection = firstRejection == null ? rejection : firstRejection;
      } else {
        pending++;
      }
    }
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
}
