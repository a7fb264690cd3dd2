package dev.sluice.translate;

import com.google.protobuf.UInt32Value;
import dev.sluice.model.Mirror;
import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelRouteSpec;
import dev.sluice.model.RetryPolicy;
import dev.sluice.model.Sticky;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import java.util.Map;

/**
 * Where a matched request goes (one version or a weighted split) and how: deadline, retries,
 * stickiness and mirroring, the same for every route entry of a ModelRoute.
 */
final class ActionTranslator {
  private ActionTranslator() {}

  /** To one version. */
  static RouteAction toVersion(ModelRoute route, String version, ProxyRole role) {
    return common(route, role).setCluster(Names.cluster(route, version)).build();
  }

  /** A weighted split over versions, in the order given; zero weights are left out. */
  static RouteAction split(ModelRoute route, Map<String, Integer> weights, ProxyRole role) {
    WeightedCluster.Builder split = WeightedCluster.newBuilder();
    weights.forEach((version, weight) -> {
      if (weight > 0) {
        split.addClusters(WeightedCluster.ClusterWeight.newBuilder()
            .setName(Names.cluster(route, version))
            .setWeight(UInt32Value.of(weight)));
      }
    });
    if (route.spec().sticky() != null) {
      NewerEnvoyFields.useHashPolicy(split);
    }
    return common(route, role).setWeightedClusters(split).build();
  }

  private static RouteAction.Builder common(ModelRoute route, ProxyRole role) {
    ModelRouteSpec spec = route.spec();
    RouteAction.Builder action = RouteAction.newBuilder();
    if (spec.timeout() != null) {
      action.setTimeout(ProtoDurations.of(spec.timeout()));
      if (role == ProxyRole.PROXYLESS) {
        // gRPC clients ignore RouteAction.timeout and take the deadline from max_stream_duration.
        action.setMaxStreamDuration(
            RouteAction.MaxStreamDuration.newBuilder().setMaxStreamDuration(ProtoDurations.of(spec.timeout())));
      }
    }
    if (spec.retries() != null && spec.retries().attempts() > 0) {
      action.setRetryPolicy(retryPolicy(spec.retries()));
    }
    if (spec.sticky() != null) {
      action.addHashPolicy(hashPolicy(spec.sticky()));
    }
    if (spec.mirror() != null) {
      action.addRequestMirrorPolicies(mirror(route, spec.mirror()));
    }
    return action;
  }

  private static io.envoyproxy.envoy.config.route.v3.RetryPolicy retryPolicy(RetryPolicy retries) {
    var policy = io.envoyproxy.envoy.config.route.v3.RetryPolicy.newBuilder()
        .setRetryOn(String.join(",", retries.on()))
        .setNumRetries(UInt32Value.of(retries.attempts()));
    if (retries.perTryTimeout() != null) {
      policy.setPerTryTimeout(ProtoDurations.of(retries.perTryTimeout()));
    }
    if (retries.backoff() != null) {
      var backoff = io.envoyproxy.envoy.config.route.v3.RetryPolicy.RetryBackOff.newBuilder()
          .setBaseInterval(ProtoDurations.of(retries.backoff().base()));
      if (retries.backoff().max() != null) {
        backoff.setMaxInterval(ProtoDurations.of(retries.backoff().max()));
      }
      policy.setRetryBackOff(backoff);
    }
    return policy.build();
  }

  /** The user's key, hashed the same way by every proxy (xxHash), picks the version and server. */
  private static RouteAction.HashPolicy hashPolicy(Sticky sticky) {
    RouteAction.HashPolicy.Builder hash = RouteAction.HashPolicy.newBuilder();
    if (sticky.header() != null) {
      return hash.setHeader(RouteAction.HashPolicy.Header.newBuilder().setHeaderName(sticky.header())).build();
    }
    RouteAction.HashPolicy.Cookie.Builder cookie =
        RouteAction.HashPolicy.Cookie.newBuilder().setName(sticky.cookie().name());
    // With a ttl Envoy sets the cookie on the first response; zero makes it a session cookie.
    cookie.setTtl(sticky.cookie().ttl() == null
        ? com.google.protobuf.Duration.getDefaultInstance()
        : ProtoDurations.of(sticky.cookie().ttl()));
    return hash.setCookie(cookie).build();
  }

  private static RouteAction.RequestMirrorPolicy mirror(ModelRoute route, Mirror mirror) {
    return RouteAction.RequestMirrorPolicy.newBuilder()
        .setCluster(Names.cluster(route, mirror.version()))
        .setRuntimeFraction(Percents.runtimeFraction(mirror.percent()))
        .build();
  }
}
