package dev.sluice.benchmarks.load;

import java.util.List;

/**
 * What one load run covers.
 *
 * @param transports "sotw" and/or "delta"
 * @param configKb the per-proxy configuration sizes to aim at
 * @param clients fleet sizes for B1, grown in this order on one server
 * @param repeats changes per fleet size; the one with the median p99 is reported
 * @param warmUps changes made, not measured, at each fleet size after the first (which has {@link
 *     ConvergenceRun#WARM_UP_CHANGES}), for the code paths that only grow hot with more proxies
 * @param churnTransports the transports B3 runs with
 * @param churnClients fleet size for B3
 * @param churnSeconds how long B3 changes the routes, ten times a second
 * @param debounceMs Sluice's debounce
 * @param sliceChurns the Kubernetes-mode slice churns, one after another
 * @param tls whether Sluice's proxies (in B1, B2 and B3) use its TLS port, each with a bootstrap token of
 *     its own, as bootstrapped Envoys do; the floors' proxies use their plaintext ports either way
 */
record Plan(String name, List<String> transports, List<Integer> configKb, List<Integer> clients, int repeats,
    int warmUps, List<String> churnTransports, int churnClients, int churnSeconds, int debounceMs, List<SliceChurn> sliceChurns,
    boolean tls) {

  static final List<String> SERVERS = List.of("sluice", "floor-c", "floor-b", "floor-a");

  /**
   * The slice churn of issue 13: Sluice in Kubernetes mode on a real kube-apiserver, EndpointSlice
   * updates at a steady rate, every proxy receiving every cluster's endpoints.
   *
   * @param routes ModelRoutes, each two versions from a Service of its own (so twice as many
   *     EndpointSlices and clusters)
   * @param proxies simulated gateway proxies
   * @param perMinute EndpointSlice updates a minute, evenly spaced
   * @param seconds how long the updates go on
   * @param transport the proxies' ADS protocol, "delta" or "sotw"
   */
  record SliceChurn(int routes, int proxies, int perMinute, int seconds, String transport) {
    SliceChurn {
      if (!transport.equals("delta") && !transport.equals("sotw")) {
        throw new IllegalArgumentException("transport is delta or sotw, not " + transport);
      }
    }

    int changes() {
      return (int) ((long) perMinute * seconds / 60);
    }

    /**
     * These settings with any of {@code routes=}, {@code proxies=}, {@code perMinute=}, {@code seconds=}
     * and {@code transport=} from {@code args}.
     */
    SliceChurn with(List<String> args) {
      SliceChurn s = this;
      for (String arg : args) {
        String[] kv = arg.split("=", 2);
        if (kv.length < 2) {
          continue;
        }
        s = switch (kv[0]) {
          case "routes" -> new SliceChurn(Integer.parseInt(kv[1]), s.proxies, s.perMinute, s.seconds, s.transport);
          case "proxies" -> new SliceChurn(s.routes, Integer.parseInt(kv[1]), s.perMinute, s.seconds, s.transport);
          case "perMinute" -> new SliceChurn(s.routes, s.proxies, Integer.parseInt(kv[1]), s.seconds, s.transport);
          case "seconds" -> new SliceChurn(s.routes, s.proxies, s.perMinute, Integer.parseInt(kv[1]), s.transport);
          case "transport" -> new SliceChurn(s.routes, s.proxies, s.perMinute, s.seconds, kv[1]);
          default -> throw new IllegalArgumentException("unknown setting " + arg);
        };
      }
      return s;
    }
  }

  /**
   * Issue 13's figure: 1,000 updates a minute across 100 routes with 1,000 proxies, for three
   * minutes; state of the world first (what the bootstrap Sluice hands out configures), then delta.
   */
  private static final List<SliceChurn> SLICE_CHURNS = List.of(new SliceChurn(100, 1_000, 1_000, 180, "sotw"),
      new SliceChurn(100, 1_000, 1_000, 180, "delta"));

  /** Everything the issues ask for. */
  static Plan full() {
    return new Plan("full", List.of("sotw", "delta"), List.of(5, 50, 300), List.of(100, 1_000, 5_000, 10_000), 3, 1,
        List.of("sotw", "delta"), 1_000, 60, 100, SLICE_CHURNS, false);
  }

  /** The same measurements, small and short. */
  static Plan quick() {
    return new Plan("quick", List.of("sotw", "delta"), List.of(5), List.of(100, 1_000), 3, 1,
        List.of("sotw"), 1_000, 5, 100, List.of(new SliceChurn(100, 1_000, 1_000, 30, "sotw")), false);
  }

  /**
   * B1 and B2 at 100 and 1,000 proxies, forty changes each, after thirty unmeasured ones at 100 and
   * twenty at 1,000: the steady-state comparison with floor (c). Sluice's JIT compiler still took a third of its CPU
   * over forty changes at 1,000 proxies that came straight after one warm-up change there.
   */
  static Plan steady() {
    return new Plan("steady", List.of("sotw", "delta"), List.of(5), List.of(100, 1_000), 40, 20,
        List.of(), 0, 0, 100, List.of(), false);
  }

  /** The slice churn alone, as in the full plan. */
  static Plan k8s() {
    return new Plan("k8s", List.of(), List.of(), List.of(), 0, 0, List.of(), 0, 0, 100, SLICE_CHURNS, false);
  }

  static Plan named(String name) {
    return switch (name) {
      case "full" -> full();
      case "quick" -> quick();
      case "k8s" -> k8s();
      case "steady" -> steady();
      default -> throw new IllegalArgumentException("plan is quick, full, steady or k8s, not " + name);
    };
  }

  /**
   * The same plan with {@code warmUps=N} and the slice churns' settings overridden by {@code key=value}
   * arguments; with {@code transport=}, only the first churn is kept; with {@code tls}, Sluice's
   * proxies on its TLS port.
   */
  Plan with(List<String> args) {
    List<SliceChurn> churns = sliceChurns;
    if (args.stream().anyMatch(a -> a.startsWith("transport=")) && !churns.isEmpty()) {
      churns = churns.subList(0, 1);
    }
    int warm = warmUps;
    List<String> rest = new java.util.ArrayList<>();
    for (String arg : args) {
      if (arg.startsWith("warmUps=")) {
        warm = Integer.parseInt(arg.substring("warmUps=".length()));
      } else if (!arg.equals("tls")) {
        rest.add(arg);
      }
    }
    return new Plan(name, transports, configKb, clients, repeats, warm, churnTransports, churnClients, churnSeconds,
        debounceMs, churns.stream().map(c -> c.with(rest)).toList(), tls || args.contains("tls"));
  }

  int maxClients() {
    return clients.get(clients.size() - 1);
  }
}
