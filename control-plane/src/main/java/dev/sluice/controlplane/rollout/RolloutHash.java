package dev.sluice.controlplane.rollout;

import dev.sluice.model.ModelRouteSpec;
import dev.sluice.model.ModelVersion;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a rollout is of: {@code spec.rollout} and the canary's version (its weight aside). A change
 * to either starts the rollout again; other changes to the route, such as a timeout or the stable
 * split, keep its progress.
 */
final class RolloutHash {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private RolloutHash() {}

  static String of(ModelRouteSpec spec) {
    ModelVersion canary = spec.versions().stream()
        .filter(v -> v.name().equals(spec.rollout().canary()))
        .findFirst()
        .map(v -> v.withWeight(null))
        .orElse(null);
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(JSON.writeValueAsString(spec.rollout()).getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(JSON.writeValueAsString(canary).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest(), 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
