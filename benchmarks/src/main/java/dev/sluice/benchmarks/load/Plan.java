package dev.sluice.benchmarks.load;

import java.util.List;

/**
 * What one load run covers.
 *
 * @param transports "sotw" and/or "delta"
 * @param configKb the per-proxy configuration sizes to aim at
 * @param clients fleet sizes for B1, grown in this order on one server
 * @param repeats changes per fleet size; the one with the median p99 is reported
 * @param churnTransports the transports B3 runs with
 * @param churnClients fleet size for B3
 * @param churnSeconds how long B3 changes the routes, ten times a second
 * @param debounceMs Sluice's debounce
 */
record Plan(String name, List<String> transports, List<Integer> configKb, List<Integer> clients, int repeats,
    List<String> churnTransports, int churnClients, int churnSeconds, int debounceMs) {

  static final List<String> SERVERS = List.of("sluice", "floor-b", "floor-a");

  /** Everything the issue asks for. */
  static Plan full() {
    return new Plan("full", List.of("sotw", "delta"), List.of(5, 50, 300), List.of(100, 1_000, 5_000, 10_000), 3,
        List.of("sotw", "delta"), 1_000, 60, 100);
  }

  /** The same measurements, small: under five minutes. */
  static Plan quick() {
    return new Plan("quick", List.of("sotw", "delta"), List.of(5), List.of(100, 1_000), 3,
        List.of("sotw"), 1_000, 5, 100);
  }

  static Plan named(String name) {
    return switch (name) {
      case "full" -> full();
      case "quick" -> quick();
      default -> throw new IllegalArgumentException("plan is quick or full, not " + name);
    };
  }

  int maxClients() {
    return clients.get(clients.size() - 1);
  }
}
