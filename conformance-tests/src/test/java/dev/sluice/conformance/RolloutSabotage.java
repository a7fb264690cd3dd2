package dev.sluice.conformance;

import dev.sluice.translate.EnvoyTranslator;
import dev.sluice.translate.RouteCompiler;
import dev.sluice.translate.RouteOutput;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
/**
 * Standard translation, except that a route labelled {@code sabotage: step-50} whose canary is
 * given 50 % gets every weight of its split set to 0: valid to Envoy's proto rules (the control
 * plane's own output check passes it) but a split gRPC clients and Envoy reject. It stands in for a
 * step a proxy cannot take.
 */
@Configuration(proxyBeanMethods = false)
class RolloutSabotage {
  @Bean
  @Primary
  EnvoyTranslator sabotagingTranslator() {
    return new EnvoyTranslator((route, group) -> {
      RouteOutput out = RouteCompiler.STANDARD.compile(route, group);
      boolean sabotage = "step-50".equals(route.metadata().labels().get("sabotage"))
          && route.spec().versions().stream().anyMatch(v -> v.name().equals("v2") && v.weight() == 50);
      if (!sabotage) {
        return out;
      }
      return new RouteOutput(out.clusters(), out.endpoints(), out.listeners(),
          out.routeConfigurations().stream().map(rc -> rc.toBuilder().clearVirtualHosts()
              .addAllVirtualHosts(rc.getVirtualHostsList().stream().map(RolloutSabotage::zeroWeights).toList())
              .build()).toList(),
          out.virtualHost() == null ? null : zeroWeights(out.virtualHost()));
    });
  }

  static VirtualHost zeroWeights(VirtualHost vh) {
    VirtualHost.Builder b = vh.toBuilder().clearRoutes();
    for (Route r : vh.getRoutesList()) {
      if (r.hasRoute() && r.getRoute().hasWeightedClusters()) {
        WeightedCluster.Builder wc = r.getRoute().getWeightedClusters().toBuilder();
        wc.getClustersBuilderList().forEach(c -> c.setWeight(com.google.protobuf.UInt32Value.of(0)));
        r = r.toBuilder().setRoute(r.getRoute().toBuilder().setWeightedClusters(wc)).build();
      }
      b.addRoutes(r);
    }
    return b.build();
  }
}
