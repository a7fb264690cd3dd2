package dev.sluice.controlplane.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.controlplane.RunningApp;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The rollout over REST: bad input refused with its fields, the actions, and progress kept across a restart. */
class RolloutApiTest {
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final String ROUTE = "/api/v1/namespaces/ml/modelroutes/fraud";

  @TempDir Path store;

  static String route(String rollout) {
    return """
        {"spec": {"hosts": ["fraud.ml"], "port": 8080,
          "versions": [{"name": "v1", "weight": 100, "endpoints": ["10.0.0.1:8080"]},
                       {"name": "v2", "weight": 0, "endpoints": ["10.0.0.2:8080"]}],
          "rollout": %s}}
        """.formatted(rollout);
  }

  @Test
  void badRollout_is422NamingEveryField_andNothingIsStored() {
    try (RunningApp app = RunningApp.start(store)) {
      HttpResponse<String> refused = app.send("PUT", ROUTE, "application/json", route("""
          {"canary": "v9", "steps": [5, 5], "interval": "500ms", "analysis": {"minRequests": 0}}"""));

      assertThat(refused.statusCode()).isEqualTo(422);
      assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      var fields = new java.util.ArrayList<String>();
      JSON.readTree(refused.body()).get("errors").forEach(e -> fields.add(e.get("field").asString()));
      assertThat(fields).containsExactlyInAnyOrder("spec.rollout.canary", "spec.rollout.steps[1]",
          "spec.rollout.interval", "spec.rollout.analysis.minRequests");
      assertThat(app.get(ROUTE).statusCode()).isEqualTo(404);
    }
  }

  @Test
  void actionsFollowThePhases_andProgressSurvivesARestart() throws Exception {
    JsonNode paused;
    try (RunningApp app = RunningApp.start(store)) {
      assertThat(app.send("PUT", ROUTE, "application/json",
          route("{\"canary\": \"v2\", \"steps\": [5, 50], \"interval\": \"1h\"}")).statusCode()).isEqualTo(201);
      JsonNode started = awaitRollout(app);
      assertThat(started.get("phase").asString()).isEqualTo("Progressing");
      assertThat(started.get("weights").toString()).isEqualTo("{\"v1\":95,\"v2\":5}");

      HttpResponse<String> pause = app.send("POST", ROUTE + "/rollout/pause", "application/json", "");
      assertThat(pause.statusCode()).isEqualTo(200);
      paused = JSON.readTree(pause.body());
      assertThat(paused.get("phase").asString()).isEqualTo("Paused");

      HttpResponse<String> again = app.send("POST", ROUTE + "/rollout/pause", "application/json", "");
      assertThat(again.statusCode()).isEqualTo(409);
      assertThat(again.body()).contains("status.rollout.phase", "cannot pause a rollout that is Paused");
      assertThat(app.send("POST", ROUTE + "/rollout/skip", "application/json", "").statusCode()).isEqualTo(404);
      JsonNode status = JSON.readTree(app.get(ROUTE).body()).get("status").get("rollout");
      assertThat(status.get("phase").asString()).isEqualTo("Paused");
      assertThat(status.get("weights").asString()).isEqualTo("v1=95 v2=5");
    }
    try (RunningApp app = RunningApp.start(store)) {
      JsonNode after = JSON.readTree(app.get(ROUTE + "/rollout").body());
      assertThat(after.get("phase").asString()).isEqualTo("Paused");
      assertThat(after.get("step").asInt()).isEqualTo(1);
      assertThat(after.get("history")).isEqualTo(paused.get("history"));
      HttpResponse<String> promote = app.send("POST", ROUTE + "/rollout/promote", "application/json", "");
      assertThat(JSON.readTree(promote.body()).get("weights").toString()).isEqualTo("{\"v1\":0,\"v2\":100}");
    }
  }

  @Test
  void routeWithoutRollout_hasNoRolloutResource() {
    try (RunningApp app = RunningApp.start(store)) {
      app.send("PUT", "/api/v1/namespaces/ml/modelroutes/plain", "application/json", """
          {"spec": {"hosts": ["plain.ml"], "port": 8080,
            "versions": [{"name": "v1", "weight": 100, "endpoints": ["10.0.0.1:8080"]}]}}""");
      HttpResponse<String> none = app.get("/api/v1/namespaces/ml/modelroutes/plain/rollout");
      assertThat(none.statusCode()).isEqualTo(404);
      assertThat(none.body()).contains("spec.rollout", "has no rollout");
    }
  }

  private static JsonNode awaitRollout(RunningApp app) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      HttpResponse<String> r = app.get(ROUTE + "/rollout");
      if (r.statusCode() == 200) {
        return JSON.readTree(r.body());
      }
      Thread.sleep(100); // the first tick (1 s) starts it
    }
    throw new AssertionError("the rollout did not start within 10 s");
  }
}
