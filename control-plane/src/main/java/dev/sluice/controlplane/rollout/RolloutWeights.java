package dev.sluice.controlplane.rollout;

import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelRouteSpec;
import dev.sluice.model.ModelVersion;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The weighted split a rollout gives the proxies: the canary takes its step's weight and the other
 * versions share the rest in the ratio of their own {@code weight}s (the stable split), rounded so
 * the weights still sum to 100 (largest remainder, ties to the version listed first). Pure.
 */
public final class RolloutWeights {
  private RolloutWeights() {}

  /** The route as proxies are to see it with the canary at {@code canaryWeight}. */
  public static ModelRoute apply(ModelRoute route, int canaryWeight) {
    ModelRouteSpec spec = route.spec();
    return route.withSpec(spec.withVersions(split(spec.versions(), spec.rollout().canary(), canaryWeight)));
  }

  static List<ModelVersion> split(List<ModelVersion> versions, String canary, int canaryWeight) {
    int stableTotal = versions.stream().filter(v -> !v.name().equals(canary)).mapToInt(RolloutWeights::weight).sum();
    int rest = 100 - canaryWeight;
    int[] weights = new int[versions.size()];
    double[] remainders = new double[versions.size()];
    int given = 0;
    for (int i = 0; i < versions.size(); i++) {
      ModelVersion v = versions.get(i);
      if (v.name().equals(canary)) {
        weights[i] = canaryWeight;
        remainders[i] = -1;
        continue;
      }
      double exact = stableTotal == 0 ? 0 : (double) rest * weight(v) / stableTotal;
      weights[i] = (int) Math.floor(exact);
      remainders[i] = weight(v) == 0 ? -1 : exact - weights[i];
      given += weights[i];
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < versions.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingDouble((Integer i) -> -remainders[i]).thenComparingInt(i -> i));
    for (int k = 0, left = rest - given; left > 0 && k < order.size(); k++) {
      if (remainders[order.get(k)] >= 0) {
        weights[order.get(k)]++;
        left--;
      }
    }
    List<ModelVersion> out = new ArrayList<>(versions.size());
    for (int i = 0; i < versions.size(); i++) {
      out.add(versions.get(i).withWeight(weights[i]));
    }
    return List.copyOf(out);
  }

  private static int weight(ModelVersion v) {
    return v.weight() == null ? 0 : v.weight();
  }
}
