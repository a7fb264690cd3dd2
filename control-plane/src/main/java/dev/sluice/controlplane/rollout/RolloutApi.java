package dev.sluice.controlplane.rollout;

import dev.sluice.controlplane.api.ApiException;
import dev.sluice.controlplane.store.RouteStore;
import dev.sluice.model.ModelRoute;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A route's rollout over REST: {@code GET .../rollout} shows it; {@code POST .../rollout/pause},
 * {@code resume}, {@code promote} and {@code abort} act on it (409 when the phase does not allow it).
 */
@RestController
@RequestMapping(path = "/api/v1/namespaces/{namespace}/modelroutes/{name}/rollout",
    produces = MediaType.APPLICATION_JSON_VALUE)
class RolloutApi {
  private static final Logger log = LoggerFactory.getLogger(RolloutApi.class);
  static final Set<String> ACTIONS = Set.of("pause", "resume", "promote", "abort");

  private final RouteStore store;
  private final Rollouts rollouts;

  RolloutApi(RouteStore store, Rollouts rollouts) {
    this.store = store;
    this.rollouts = rollouts;
  }

  @GetMapping
  RolloutView get(@PathVariable String namespace, @PathVariable String name) {
    ModelRoute route = withRollout(namespace, name);
    RolloutState state = rollouts.state(route).orElseThrow(() -> ApiException.of(HttpStatus.NOT_FOUND,
        "spec.rollout", "the rollout of ModelRoute " + route.key() + " has not started yet"));
    return RolloutView.of(route, state, rollouts.windowNumbers(route), rollouts.samples(route));
  }

  @PostMapping("/{action}")
  RolloutView act(@PathVariable String namespace, @PathVariable String name, @PathVariable String action) {
    if (!ACTIONS.contains(action)) {
      throw ApiException.of(HttpStatus.NOT_FOUND, "action", "'" + action + "' is not pause, resume, promote or abort");
    }
    ModelRoute route = withRollout(namespace, name);
    try {
      RolloutState state = rollouts.act(route, action);
      return RolloutView.of(route, state, rollouts.windowNumbers(route), rollouts.samples(route));
    } catch (IllegalStateException e) {
      log.info("rollout of ModelRoute {}: {} refused: {}", route.key(), action, e.getMessage());
      throw ApiException.of(HttpStatus.CONFLICT, "status.rollout.phase", e.getMessage());
    }
  }

  private ModelRoute withRollout(String namespace, String name) {
    ModelRoute route = store.get(namespace, name).orElseThrow(() -> ApiException.of(HttpStatus.NOT_FOUND,
        "metadata.name", "ModelRoute " + namespace + "/" + name + " does not exist"));
    if (route.spec() == null || route.spec().rollout() == null) {
      throw ApiException.of(HttpStatus.NOT_FOUND, "spec.rollout", "ModelRoute " + route.key() + " has no rollout");
    }
    return route;
  }
}
