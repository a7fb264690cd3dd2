package dev.sluice.controlplane.status;

import dev.sluice.controlplane.rollout.RolloutStatuses;
import dev.sluice.controlplane.rollout.Rollouts;
import dev.sluice.controlplane.xds.OtherReplicas;
import dev.sluice.controlplane.xds.RejectedRoutes;
import dev.sluice.controlplane.xds.RouteProgramming;
import dev.sluice.model.FieldError;
import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelRouteSpec;
import dev.sluice.model.ModelRouteStatus;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * A route's status as the REST API shows it and the Kubernetes status subresource records it:
 * {@code Accepted} (the policy model and the translator took this generation) and
 * {@code Programmed} (the proxies that receive it run it, those of every replica in Kubernetes
 * mode), with the proxy counts.
 */
@Component
public final class RouteStatuses {
  private final RejectedRoutes rejected;
  private final RouteProgramming programming;
  private final OtherReplicas others;

  private final ObjectProvider<Rollouts> rollouts;

  RouteStatuses(RejectedRoutes rejected, RouteProgramming programming, ObjectProvider<OtherReplicas> others,
      ObjectProvider<Rollouts> rollouts) {
    this.rollouts = rollouts;
    this.rejected = rejected;
    this.programming = programming;
    this.others = others.getIfAvailable(() -> OtherReplicas.NONE);
  }

  /** The status of a route that passed validation. */
  public ModelRouteStatus of(ModelRoute route) {
    ModelRouteStatus.Condition accepted = rejected.of(route)
        .map(r -> notAccepted("left out of the configuration of proxy group " + r.group().key() + ": "
            + describe(r.errors())))
        .orElse(new ModelRouteStatus.Condition("Accepted", "True", "Valid", null));
    if (!"True".equals(accepted.status())) {
      return withRollout(route, ModelRouteStatus.of(route.metadata().generation(), route.spec(), List.of(accepted), null));
    }
    long generation = route.metadata().generation();
    RouteProgramming.Programmed programmed = RouteProgramming.programmed(generation,
        programming.local(route).plus(others.tally(route.key(), generation)));
    ModelRouteStatus status = ModelRouteStatus.of(route.metadata().generation(), route.spec(),
        List.of(accepted, programmed.condition()), programmed.counts());
    return withRollout(route, status);
  }

  private ModelRouteStatus withRollout(ModelRoute route, ModelRouteStatus status) {
    Rollouts r = rollouts.getIfAvailable();
    return r == null ? status : r.state(route).map(s -> status.withRollout(RolloutStatuses.of(route, s))).orElse(status);
  }

  /** The status of a stored document the policy model refuses: not accepted, so never programmed. */
  public static ModelRouteStatus refused(Long generation, ModelRouteSpec spec, List<FieldError> errors) {
    return ModelRouteStatus.of(generation, spec, List.of(notAccepted(describe(errors))), null);
  }

  private static ModelRouteStatus.Condition notAccepted(String message) {
    return new ModelRouteStatus.Condition("Accepted", "False", "Invalid", message);
  }

  private static String describe(List<FieldError> errors) {
    return errors.stream().map(e -> e.field() + " " + e.message()).collect(Collectors.joining("; "));
  }
}
