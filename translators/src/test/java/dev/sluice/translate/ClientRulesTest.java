package dev.sluice.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.model.ModelRoute;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The resource rules of every xDS client Sluice serves, checked on the output of every golden
 * input for both roles. Each rule is the strictest among Envoy, grpc-java, grpc-go, gRPC C-core
 * and grpc-js for that field; the comment names who enforces it and where, and whether breaking it
 * makes the client NACK the resource or silently do something else. The traffic tests in
 * conformance-tests show the same clients accepting the output.
 */
class ClientRulesTest {
  record Output(String name, ProxyGroup group, XdsResources resources) {
    @Override
    public String toString() {
      return name + " (" + group.key() + ")";
    }
  }

  static Stream<Output> outputs() throws IOException {
    List<Output> all = new ArrayList<>();
    for (String name : GoldenFiles.cases()) {
      List<ModelRoute> input = GoldenFiles.input(name);
      EnvoyTranslator translator = GoldenFiles.translator(name);
      for (ProxyGroup group : GoldenTranslationTest.GROUPS) {
        all.add(new Output(name, group, translator.translateAll(input, group).resources()));
      }
    }
    return all.stream();
  }

  /**
   * Every LocalityLbEndpoints names its locality (empty fields are a valid, distinct locality).
   * NACK: grpc-go {@code xdsresource/unmarshal_eds.go} ("locality without ID"), C-core
   * {@code xds_endpoint_parser.cc} (".locality: field not present"), grpc-js
   * {@code endpoint-resource-type.ts} ("locality unset").
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("outputs")
  void everyLocality_namesItsLocality(Output out) {
    for (ClusterLoadAssignment cla : out.resources().endpoints()) {
      for (LocalityLbEndpoints locality : cla.getEndpointsList()) {
        assertThat(locality.hasLocality()).as("%s: locality of %s", out, cla.getClusterName()).isTrue();
      }
    }
  }

  /**
   * Every locality carries a weight above 0. Ignored locality: grpc-go and C-core drop a locality
   * without weight (A27: weighted_target needs one), which leaves the version without endpoints.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("outputs")
  void everyLocality_hasAWeightAboveZero(Output out) {
    for (ClusterLoadAssignment cla : out.resources().endpoints()) {
      for (LocalityLbEndpoints locality : cla.getEndpointsList()) {
        assertThat(locality.getLoadBalancingWeight().getValue()).as("%s: %s", out, cla.getClusterName()).isPositive();
      }
    }
  }

  /**
   * Priorities run from 0 without gaps, and a locality appears once per assignment. NACK: grpc-go
   * ("priorities are not contiguous", duplicate locality), C-core ("sparse priority list",
   * "duplicate locality"), grpc-java ({@code XdsEndpointResource}, sparse priorities).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("outputs")
  void priorities_areContiguousFromZero_andLocalitiesUnique(Output out) {
    for (ClusterLoadAssignment cla : out.resources().endpoints()) {
      Set<Integer> priorities = new HashSet<>();
      Set<String> localities = new HashSet<>();
      for (LocalityLbEndpoints locality : cla.getEndpointsList()) {
        priorities.add(locality.getPriority());
        assertThat(localities.add(locality.getPriority() + "/" + locality.getLocality()))
            .as("%s: duplicate locality in %s", out, cla.getClusterName()).isTrue();
      }
      for (int p = 0; p < priorities.size(); p++) {
        assertThat(priorities).as("%s: priorities of %s", out, cla.getClusterName()).contains(p);
      }
    }
  }

  /**
   * An address appears once per assignment, and every endpoint is a socket address with a port.
   * NACK: C-core ("duplicate endpoint address"), grpc-go (A61 duplicate addresses), every client on
   * a missing socket address.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("outputs")
  void endpointAddresses_areSocketAddressesWithPorts_andUnique(Output out) {
    for (ClusterLoadAssignment cla : out.resources().endpoints()) {
      Set<String> seen = new HashSet<>();
      for (LocalityLbEndpoints locality : cla.getEndpointsList()) {
        for (LbEndpoint e : locality.getLbEndpointsList()) {
          var socket = e.getEndpoint().getAddress().getSocketAddress();
          assertThat(socket.getAddress()).as("%s: %s", out, cla.getClusterName()).isNotEmpty();
          assertThat(socket.getPortValue()).isBetween(1, 65535);
          assertThat(seen.add(socket.getAddress() + ":" + socket.getPortValue())).as("%s: duplicate %s", out, socket).isTrue();
        }
      }
    }
  }

  /**
   * Every EDS cluster is served over ADS (grpc-go, C-core and grpc-java NACK any other
   * {@code eds_config} than ADS or self), names an assignment that exists, and balances by round
   * robin or ring hash (grpc-go and C-core NACK other lb_policy values).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("outputs")
  void clusters_useAds_nameAnExistingAssignment_andAKnownPolicy(Output out) {
    Set<String> assignments = new HashSet<>();
    out.resources().endpoints().forEach(cla -> assignments.add(cla.getClusterName()));
    for (Cluster c : out.resources().clusters()) {
      if (out.group().role().isEnvoy() && c.getName().split("\\|").length != 3) {
        // Not a version's cluster (those have three parts): Envoy's own, which no gRPC client gets.
        // The tracing collector (STRICT_DNS), a sidecar's passthrough (ORIGINAL_DST) and app (STATIC).
        continue;
      }
      assertThat(c.getType()).isEqualTo(Cluster.DiscoveryType.EDS);
      assertThat(c.getEdsClusterConfig().getEdsConfig().hasAds()).as("%s: %s", out, c.getName()).isTrue();
      assertThat(assignments).as("%s: %s", out, c.getName()).contains(c.getEdsClusterConfig().getServiceName());
      assertThat(c.getLbPolicy()).isIn(Cluster.LbPolicy.ROUND_ROBIN, Cluster.LbPolicy.RING_HASH);
      if (c.hasRingHashLbConfig()) {
        // grpc-go and C-core NACK a ring over 8M entries; grpc-java caps at 4K unless configured.
        assertThat(c.getRingHashLbConfig().getMaximumRingSize().getValue()).isLessThanOrEqualTo(8_388_608L);
      }
    }
  }

  /**
   * Outlier detection says whether success-rate ejection is on. Unset, Envoy, grpc-java, grpc-go
   * and grpc-js enforce it at 100 % (gRFC A50) and C-core not at all; the model has no such check,
   * so it is 0 for every client. Percents are at most 100 (NACK in every gRPC client).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("outputs")
  void outlierDetection_turnsSuccessRateOffExplicitly(Output out) {
    for (Cluster c : out.resources().clusters()) {
      if (c.hasOutlierDetection()) {
        var od = c.getOutlierDetection();
        assertThat(od.hasEnforcingSuccessRate()).as("%s: %s", out, c.getName()).isTrue();
        assertThat(od.getEnforcingSuccessRate().getValue()).isZero();
        assertThat(od.getMaxEjectionPercent().getValue()).isLessThanOrEqualTo(100);
        assertThat(od.getFailurePercentageThreshold().getValue()).isLessThanOrEqualTo(100);
      }
    }
  }

  /**
   * Weighted clusters sum to 100 and name only clusters that exist. grpc-js assumes a total of 100
   * when total_weight is unset, grpc-go and C-core NACK a sum of 0 or one over 2^32-1.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("outputs")
  void weightedClusters_sumTo100_andNameExistingClusters(Output out) {
    Set<String> clusters = new HashSet<>();
    out.resources().clusters().forEach(c -> clusters.add(c.getName()));
    for (Route route : routes(out)) {
      if (route.getRoute().hasWeightedClusters()) {
        WeightedCluster split = route.getRoute().getWeightedClusters();
        assertThat(split.hasTotalWeight()).isFalse();
        assertThat(split.getClustersList().stream().mapToLong(c -> c.getWeight().getValue()).sum())
            .as("%s: %s", out, route.getName()).isEqualTo(100);
        split.getClustersList().forEach(c -> assertThat(clusters).contains(c.getName()));
      } else {
        assertThat(clusters).as("%s: %s", out, route.getName()).contains(route.getRoute().getCluster());
      }
    }
  }

  /**
   * Proxyless routes carry no query-parameter condition. grpc-java, grpc-go and C-core drop such a
   * route (gRFC A28; a gRPC call has no query string), grpc-js ignores the condition and matches
   * every call: without it, every client routes the same.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("outputs")
  void proxylessRoutes_haveNoQueryParameterConditions(Output out) {
    if (out.group().role() == ProxyRole.PROXYLESS) {
      for (Route route : routes(out)) {
        assertThat(route.getMatch().getQueryParametersList()).as("%s: %s", out, route.getName()).isEmpty();
      }
    }
  }

  /**
   * A user's regular expression is grouped before it is used. grpc-js anchors a header regex as
   * {@code ^pattern$}, so an ungrouped {@code beta|gamma} would match "beta..." or "...gamma".
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("outputs")
  void headerRegexes_haveNoTopLevelAlternation(Output out) {
    for (Route route : routes(out)) {
      for (HeaderMatcher header : route.getMatch().getHeadersList()) {
        if (header.getStringMatch().hasSafeRegex()) {
          assertThat(topLevelAlternation(header.getStringMatch().getSafeRegex().getRegex()))
              .as("%s: %s header %s", out, route.getName(), header.getName()).isFalse();
        }
      }
    }
  }

  /**
   * Retry backoff is at least 1 ms (grpc-js truncates to whole milliseconds and NACKs 0; Envoy
   * requires more than 0), and max is not below base (grpc-go, C-core, grpc-java).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("outputs")
  void retryBackoff_isAtLeastOneMillisecond_andMaxNotBelowBase(Output out) {
    for (Route route : routes(out)) {
      var retry = route.getRoute().getRetryPolicy();
      if (retry.hasRetryBackOff()) {
        var base = retry.getRetryBackOff().getBaseInterval();
        assertThat(base.getSeconds() * 1000 + base.getNanos() / 1_000_000).isGreaterThanOrEqualTo(1);
        if (retry.getRetryBackOff().hasMaxInterval()) {
          var max = retry.getRetryBackOff().getMaxInterval();
          assertThat(max.getSeconds() * 1_000_000_000L + max.getNanos())
              .isGreaterThanOrEqualTo(base.getSeconds() * 1_000_000_000L + base.getNanos());
        }
      }
    }
  }

  /**
   * The router is the last HTTP filter, and every filter before it is one each client implements
   * (fault: grpc-java, grpc-go, C-core, grpc-js) or is marked optional. NACK: grpc-go and C-core
   * reject an unknown required filter; all reject a chain whose last filter is not terminal.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("outputs")
  void httpFilters_endWithTheRouter_andAreKnownToEveryClient(Output out) throws Exception {
    for (Listener listener : out.resources().listeners()) {
      for (HttpConnectionManager hcm : connectionManagers(listener)) {
        List<HttpFilter> filters = hcm.getHttpFiltersList();
        assertThat(filters).isNotEmpty();
        assertThat(filters.get(filters.size() - 1).getName()).isEqualTo("envoy.filters.http.router");
        if (out.group().role() == ProxyRole.PROXYLESS) {
          for (HttpFilter f : filters) {
            assertThat(f.getIsOptional() || Set.of("envoy.filters.http.router", "envoy.filters.http.fault")
                .contains(f.getName())).as("%s: filter %s", out, f.getName()).isTrue();
          }
        }
      }
    }
  }

  private static List<HttpConnectionManager> connectionManagers(Listener listener) throws Exception {
    List<HttpConnectionManager> all = new ArrayList<>();
    if (listener.hasApiListener()) {
      all.add(listener.getApiListener().getApiListener().unpack(HttpConnectionManager.class));
    }
    for (var chain : listener.getFilterChainsList()) {
      for (var filter : chain.getFiltersList()) {
        if (filter.getTypedConfig().is(HttpConnectionManager.class)) {
          all.add(filter.getTypedConfig().unpack(HttpConnectionManager.class));
        }
      }
    }
    return all;
  }

  private static List<Route> routes(Output out) {
    List<Route> all = new ArrayList<>();
    for (RouteConfiguration rc : out.resources().routes()) {
      for (VirtualHost vh : rc.getVirtualHostsList()) {
        all.addAll(vh.getRoutesList());
      }
    }
    return all;
  }

  /** True when {@code |} stands outside every group of the pattern. */
  static boolean topLevelAlternation(String regex) {
    int depth = 0;
    boolean escaped = false;
    boolean inClass = false;
    for (char c : regex.toCharArray()) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (inClass) {
        inClass = c != ']';
      } else if (c == '[') {
        inClass = true;
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == '|' && depth == 0) {
        return true;
      }
    }
    return false;
  }
}
