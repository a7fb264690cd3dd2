package dev.sluice.controlplane.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.model.ModelVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutWeightsTest {

  private static List<Integer> split(int canaryWeight, int... specWeights) {
    List<ModelVersion> versions = new java.util.ArrayList<>();
    for (int i = 0; i < specWeights.length; i++) {
      versions.add(new ModelVersion("v" + (i + 1), specWeights[i], List.of("10.0.0." + (i + 1) + ":8080")));
    }
    return RolloutWeights.split(versions, "v" + specWeights.length, canaryWeight).stream()
        .map(ModelVersion::weight).toList();
  }

  @Test
  void canaryTakesItsStep_andTheStableVersionsShareTheRestInTheirRatio() {
    assertThat(split(5, 100, 0)).containsExactly(95, 5);
    assertThat(split(0, 90, 10)).as("rolled back: the stable split alone").containsExactly(100, 0);
    assertThat(split(100, 100, 0)).containsExactly(0, 100);
    assertThat(split(10, 60, 30, 10)).containsExactly(60, 30, 10);
    assertThat(split(25, 50, 50, 0)).containsExactly(38, 37, 25);
    assertThat(split(1, 1, 1, 1, 0)).containsExactly(33, 33, 33, 1);
  }

  @Test
  void weightsAlwaysSumToAHundred_andZeroWeightStableVersionsStayAtZero() {
    for (int w = 0; w <= 100; w++) {
      List<Integer> s = split(w, 70, 0, 29, 0);
      assertThat(s.stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);
      assertThat(s.get(1)).isZero();
      assertThat(s.get(3)).isEqualTo(w);
    }
  }
}
