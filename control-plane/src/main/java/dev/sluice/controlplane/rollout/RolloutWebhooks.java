package dev.sluice.controlplane.rollout;

import dev.sluice.model.Durations;
import dev.sluice.model.ModelRoute;
import dev.sluice.model.RolloutWebhook;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The rollout's HTTP calls: {@code pre-step} hooks are asked before each step's weights go out (any
 * answer but 2xx, or none within the timeout, refuses the step); {@code rollback} hooks are told
 * after a rollback, best effort. Each call POSTs JSON: route, canary, phase, step, canary weight,
 * reason and message.
 */
public class RolloutWebhooks {
  private static final Logger log = LoggerFactory.getLogger(RolloutWebhooks.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(DEFAULT_TIMEOUT).build();

  /** Null when every pre-step hook agrees to the canary at {@code weight}; else why not. */
  public String preStep(ModelRoute route, RolloutState state, int weight) {
    for (RolloutWebhook hook : route.spec().rollout().effectiveWebhooks()) {
      if (!RolloutWebhook.PRE_STEP.equals(hook.type())) {
        continue;
      }
      try {
        HttpResponse<String> response = http.send(request(hook, body(route, state, weight, "pre-step")),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
          return "webhook " + hook.name() + " answered " + response.statusCode();
        }
      } catch (java.io.IOException e) {
        return "webhook " + hook.name() + " could not be called: " + e.getMessage();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "interrupted while calling webhook " + hook.name();
      }
    }
    return null;
  }

  /** Tells the rollback hooks, without waiting for them. */
  public void rolledBack(ModelRoute route, RolloutState state) {
    for (RolloutWebhook hook : route.spec().rollout().effectiveWebhooks()) {
      if (RolloutWebhook.ROLLBACK.equals(hook.type())) {
        http.sendAsync(request(hook, body(route, state, state.canaryWeight(), "rollback")),
                HttpResponse.BodyHandlers.discarding())
            .whenComplete((r, e) -> {
              if (e != null || r.statusCode() / 100 != 2) {
                log.warn("rollout of ModelRoute {}: rollback webhook {} failed: {}", route.key(), hook.name(),
                    e != null ? e.getMessage() : "status " + r.statusCode());
              }
            });
      }
    }
  }

  private static HttpRequest request(RolloutWebhook hook, String body) {
    Duration timeout = hook.timeout() == null ? DEFAULT_TIMEOUT : Durations.require(hook.timeout());
    return HttpRequest.newBuilder(URI.create(hook.url()))
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private static String body(ModelRoute route, RolloutState state, int weight, String type) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("type", type);
    b.put("namespace", route.metadata().namespace());
    b.put("name", route.metadata().name());
    b.put("canary", route.spec().rollout().canary());
    b.put("phase", state.phase().name());
    b.put("step", state.step());
    b.put("canaryWeight", weight);
    b.put("reason", state.reason());
    b.put("message", state.message());
    return JSON.writeValueAsString(b);
  }
}
