package dev.sluice.controlplane.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.model.Metadata;
import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelRouteSpec;
import dev.sluice.model.ModelVersion;
import dev.sluice.model.Rollout;
import dev.sluice.model.RolloutWebhook;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rollout's HTTP calls against a real HTTP server on loopback. */
class RolloutWebhooksTest {
  private HttpServer server;
  private final AtomicInteger gateStatus = new AtomicInteger(200);
  private final LinkedBlockingQueue<String> bodies = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      bodies.add(exchange.getRequestURI().getPath() + " " + new String(exchange.getRequestBody().readAllBytes(),
          StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/gate") ? gateStatus.get() : 204, -1);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private ModelRoute route(List<RolloutWebhook> hooks) {
    Rollout rollout = new Rollout("v2", List.of(10, 50), null, null, "1m", null, hooks);
    return ModelRoute.of(Metadata.of("ml", "r"), new ModelRouteSpec(List.of("r.ml"), 8080, null,
        List.of(new ModelVersion("v1", 100, List.of("10.0.0.1:80")), new ModelVersion("v2", 0, List.of("10.0.0.2:80"))),
        null, null).withRollout(rollout));
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  @Test
  void preStep_goesAheadOn2xx_andNamesTheHookAndStatusOtherwise() throws Exception {
    ModelRoute route = route(List.of(new RolloutWebhook("gate", RolloutWebhook.PRE_STEP, url("/gate"), "2s"),
        new RolloutWebhook("page", RolloutWebhook.ROLLBACK, url("/page"), null)));
    RolloutState state = RolloutEngine.start(route.spec().rollout(), "h", 1, Instant.EPOCH);
    RolloutWebhooks hooks = new RolloutWebhooks();

    assertThat(hooks.preStep(route, state, 50)).isNull();
    assertThat(bodies.poll(5, TimeUnit.SECONDS)).startsWith("/gate ").contains("\"type\":\"pre-step\"",
        "\"name\":\"r\"", "\"canary\":\"v2\"", "\"canaryWeight\":50");
    assertThat(bodies).as("rollback hooks are not asked before a step").isEmpty();

    gateStatus.set(503);
    assertThat(hooks.preStep(route, state, 50)).isEqualTo("webhook gate answered 503");

    hooks.rolledBack(route, RolloutEngine.abort(state, Instant.EPOCH));
    String told = bodies.poll(5, TimeUnit.SECONDS);
    while (told != null && told.startsWith("/gate")) {
      told = bodies.poll(5, TimeUnit.SECONDS);
    }
    assertThat(told).startsWith("/page ").contains("\"type\":\"rollback\"", "\"phase\":\"RolledBack\"", "\"reason\":\"Aborted\"");
  }

  @Test
  void unreachablePreStepHook_refusesTheStep() {
    ModelRoute route = route(List.of(new RolloutWebhook("gone", RolloutWebhook.PRE_STEP, "http://127.0.0.1:1/x", "1s")));
    RolloutState state = RolloutEngine.start(route.spec().rollout(), "h", 1, Instant.EPOCH);

    assertThat(new RolloutWebhooks().preStep(route, state, 50)).startsWith("webhook gone could not be called");
  }
}
