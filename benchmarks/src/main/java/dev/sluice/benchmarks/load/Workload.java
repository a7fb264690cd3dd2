package dev.sluice.benchmarks.load;

import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelRouteCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * The routes every benchmark server carries: {@code routes} ModelRoutes in namespace {@code ml},
 * each a 90/10 canary of two versions with two and one endpoints, GRPC, a timeout. The same JSON
 * documents go to Sluice's REST API and, parsed by the same codec, into the floors' translation, so
 * both serve the same resources.
 *
 * @param routes how many ModelRoutes
 */
record Workload(int routes) {
  static final String NAMESPACE = "ml";

  /** About how many routes make a gateway configuration of this many kilobytes (measured: see RESULTS.md). */
  static int routesForKilobytes(int kb) {
    return Math.max(1, Math.round((kb - 1.7f) / 0.87f));
  }

  static String name(int i) {
    return "model-" + i;
  }

  /** Route {@code i} with version v1 at {@code v1Weight} percent and this timeout. */
  static String document(int i, int v1Weight, int timeoutMs) {
    return """
        {"metadata": {"namespace": "%5$s", "name": "model-%1$d"},
         "spec": {"hosts": ["model-%1$d.ml"], "port": 8080, "protocol": "GRPC", "timeout": "%7$dms",
          "versions": [{"name": "v1", "weight": %6$d, "endpoints": ["10.1.%2$d.%3$d:8080", "10.1.%2$d.%4$d:8080"]},
                       {"name": "v2", "weight": %8$d, "endpoints": ["10.2.%2$d.%3$d:8080"]}]}}
        """.formatted(i, i / 200, i % 200 + 1, i % 200 + 50, NAMESPACE, v1Weight, timeoutMs, 100 - v1Weight);
  }

  /** The documents before any change: every route at 90/10 and 2 s. */
  List<String> documents() {
    List<String> out = new ArrayList<>(routes);
    for (int i = 0; i < routes; i++) {
      out.add(document(i, 90, 2000));
    }
    return out;
  }

  /** The B1 change: route 0 at 50/50 ({@code changed}) or back at 90/10. */
  List<ModelRoute> parsed(boolean changed) {
    List<String> docs = documents();
    if (changed) {
      docs.set(0, document(0, 50, 2000));
    }
    return docs.stream().map(Workload::parse).toList();
  }

  static ModelRoute parse(String json) {
    ModelRouteCodec.Parsed p = ModelRouteCodec.parse(json, ModelRouteCodec.Format.JSON);
    if (!p.ok()) {
      throw new IllegalArgumentException("benchmark route does not parse: " + p.errors());
    }
    return p.route();
  }
}
