package dev.sluice.benchmarks;

import dev.sluice.model.Metadata;
import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelRouteSpec;
import dev.sluice.model.ModelVersion;
import dev.sluice.model.Protocol;
import dev.sluice.model.RetryPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * The ModelRoutes the benchmarks translate, so that their figures describe the same input: route
 * {@code i} is {@code team-(i % 20)/model-i}, GRPC, two versions with two endpoints each, a timeout
 * and retries.
 */
final class BenchmarkRoutes {
  private BenchmarkRoutes() {}

  /** Routes 0 to {@code count - 1}, each split 90/10 between v1 and v2. */
  static List<ModelRoute> routes(int count) {
    List<ModelRoute> all = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      all.add(route(i, 90));
    }
    return all;
  }

  /** Route {@code i} with {@code v1Weight} percent to v1 and the rest to v2. */
  static ModelRoute route(int i, int v1Weight) {
    String name = "model-" + i;
    String ns = "team-" + (i % 20);
    return ModelRoute.of(Metadata.of(ns, name), new ModelRouteSpec(
        List.of(name + "." + ns, name + "." + ns + ".svc.cluster.local"), 8080, Protocol.GRPC,
        List.of(
            new ModelVersion("v1", v1Weight, List.of(ip(i, 1), ip(i, 2))),
            new ModelVersion("v2", 100 - v1Weight, List.of(ip(i, 3), ip(i, 4)))),
        "2s", new RetryPolicy(3, "500ms", List.of("unavailable"))));
  }

  private static String ip(int route, int host) {
    return "10." + (route / 250 % 250) + "." + (route % 250) + "." + host + ":8080";
  }
}
