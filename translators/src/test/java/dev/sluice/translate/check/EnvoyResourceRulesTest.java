package dev.sluice.translate.check;

import static dev.sluice.translate.check.ValidEnvoy.apiListener;
import static dev.sluice.translate.check.ValidEnvoy.check;
import static dev.sluice.translate.check.ValidEnvoy.validCluster;
import static dev.sluice.translate.check.ValidEnvoy.validHcm;
import static dev.sluice.translate.check.ValidEnvoy.validRoute;
import static dev.sluice.translate.check.ValidEnvoy.validVirtualHost;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.v3.Percent;
import org.junit.jupiter.api.Test;

/** Real clusters and routes, broken on purpose in one place each, and valid ones. */
class EnvoyResourceRulesTest {

  @Test
  void validResources_haveNoViolations() {
    RouteConfiguration routes =
        RouteConfiguration.newBuilder().setName("r").addVirtualHosts(validVirtualHost()).build();
    Listener gateway = Listener.newBuilder()
        .setName("gw")
        .setAddress(Address.newBuilder()
            .setSocketAddress(SocketAddress.newBuilder().setAddress("0.0.0.0").setPortValue(80)))
        .build();

    assertThat(check(validCluster().build())).isEmpty();
    assertThat(check(routes)).isEmpty();
    assertThat(check(apiListener(validHcm().build()))).isEmpty();
    assertThat(check(gateway)).isEmpty();
  }

  @Test
  void clusterWithEmptyNameAndZeroConnectTimeout_reportsBothFields() {
    Cluster cluster = validCluster().setName("").setConnectTimeout(Duration.getDefaultInstance()).build();

    assertThat(check(cluster)).containsExactly(
        new Violation("name", "must be at least 1 characters (string.min_len)"),
        new Violation("connect_timeout", "must be greater than 0s (duration.gt)"));
  }

  @Test
  void unsetConnectTimeout_isAllowedBecauseTheRuleHasNoRequired() {
    assertThat(check(validCluster().clearConnectTimeout().build())).isEmpty();
  }

  @Test
  void outlierDetectionEjectingMoreThan100Percent_isAWrappedUint32Violation() {
    Cluster cluster = validCluster()
        .setOutlierDetection(OutlierDetection.newBuilder().setMaxEjectionPercent(UInt32Value.of(101)))
        .build();

    assertThat(check(cluster)).containsExactly(new Violation(
        "outlier_detection.max_ejection_percent", "must be less than or equal to 100 (uint32.lte)"));
  }

  @Test
  void virtualHostWithoutDomains_failsMinItems() {
    RouteConfiguration config = RouteConfiguration.newBuilder()
        .setName("r")
        .addVirtualHosts(validVirtualHost().clearDomains())
        .build();

    assertThat(check(config)).containsExactly(
        new Violation("virtual_hosts[0].domains", "must contain at least 1 item(s) (repeated.min_items)"));
  }

  @Test
  void headerMatcherNameWithNewline_failsTheLenientHeaderNameRule() {
    Route route = validRoute()
        .setMatch(RouteMatch.newBuilder().setPrefix("/").addHeaders(HeaderMatcher.newBuilder()
            .setName("x-model\nx-evil").setPresentMatch(true)))
        .build();
    RouteConfiguration config = RouteConfiguration.newBuilder()
        .addVirtualHosts(validVirtualHost().clearRoutes().addRoutes(validRoute()).addRoutes(route))
        .build();

    assertThat(check(config)).containsExactly(new Violation("virtual_hosts[0].routes[1].match.headers[0].name",
        "must not contain NUL, CR or LF (string.well_known_regex)"));
  }

  @Test
  void weightedClusterWithoutClusters_andRouteWithoutAction_reportPathsIntoTheRoute() {
    Route noClusters = validRoute()
        .setRoute(RouteAction.newBuilder().setWeightedClusters(WeightedCluster.getDefaultInstance()))
        .build();
    Route noAction = Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/")).build();
    RouteConfiguration config = RouteConfiguration.newBuilder()
        .addVirtualHosts(validVirtualHost().clearRoutes().addRoutes(noClusters).addRoutes(noAction))
        .build();

    assertThat(check(config)).containsExactly(
        new Violation("virtual_hosts[0].routes[0].route.weighted_clusters.clusters",
            "must contain at least 1 item(s) (repeated.min_items)"),
        new Violation("virtual_hosts[0].routes[1].action", "must have one of its fields set (oneof.required)"));
  }

  @Test
  void retryBackOffWithoutBaseInterval_isRequired() {
    Route route = validRoute()
        .setRoute(RouteAction.newBuilder().setCluster("c").setRetryPolicy(RetryPolicy.newBuilder()
            .setRetryBackOff(RetryPolicy.RetryBackOff.newBuilder()
                .setMaxInterval(Duration.newBuilder().setSeconds(1)))))
        .build();

    assertThat(check(route)).containsExactly(
        new Violation("route.retry_policy.retry_back_off.base_interval", "is required (duration.required)"));
  }

  @Test
  void regexMatcherWithEmptyRegex_failsMinLen() {
    Route route = validRoute()
        .setMatch(RouteMatch.newBuilder().setSafeRegex(RegexMatcher.newBuilder().setRegex("")))
        .build();

    assertThat(check(route)).containsExactly(
        new Violation("match.safe_regex.regex", "must be at least 1 characters (string.min_len)"));
  }

  @Test
  void percentOf101_isOutsideItsClosedRange() {
    assertThat(check(Percent.newBuilder().setValue(101).build())).containsExactly(
        new Violation("value", "must be inside range [0.0, 100.0] (double.gte, double.lte)"));
    assertThat(check(Percent.newBuilder().setValue(100).build())).isEmpty();
  }

}
