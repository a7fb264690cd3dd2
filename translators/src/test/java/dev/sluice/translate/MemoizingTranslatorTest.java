package dev.sluice.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.model.Metadata;
import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelRouteSpec;
import dev.sluice.model.ModelVersion;
import dev.sluice.model.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MemoizingTranslatorTest {
  final AtomicInteger compiled = new AtomicInteger();
  final RouteCompiler counting = (route, group) -> {
    compiled.incrementAndGet();
    return RouteCompiler.STANDARD.compile(route, group);
  };

  static ModelRoute route(int i, String endpoint) {
    return ModelRoute.of(Metadata.of("ml", "m" + i), new ModelRouteSpec(List.of("m" + i + ".ml"), 8080, Protocol.GRPC,
        List.of(new ModelVersion("v1", 100, List.of(endpoint))), null, null));
  }

  /** Routes m0 to m19, each with an endpoint of its own; a list the test may change. */
  static List<ModelRoute> twentyRoutes() {
    List<ModelRoute> routes = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      routes.add(route(i, "10.0.0." + i + ":8080"));
    }
    return routes;
  }

  @Test
  void aRepublicationAfterOneChange_compilesThatRouteAlone_andGivesTheSameOutputAsAFreshTranslation() {
    EnvoyTranslator memoizing = new EnvoyTranslator(counting).memoizing();
    List<ModelRoute> routes = twentyRoutes();
    for (ProxyGroup group : List.of(ProxyGroup.PROXYLESS, ProxyGroup.DEFAULT_GATEWAY)) {
      compiled.set(0);
      assertThat(memoizing.translateAll(routes, group)).isEqualTo(EnvoyTranslator.STANDARD.translateAll(routes, group));
      assertThat(compiled).hasValue(20);

      routes.set(7, route(7, "10.0.1.7:8080"));
      compiled.set(0);
      Translation again = memoizing.translateAll(routes, group);
      assertThat(compiled).as("routes compiled after one changed").hasValue(1);
      assertThat(again).isEqualTo(EnvoyTranslator.STANDARD.translateAll(routes, group));
      routes.set(7, route(7, "10.0.0.7:8080"));
      memoizing.translateAll(routes, group);
    }
  }

  @Test
  void aPreview_usesTheMemory_butLeavesItToThePublisher() {
    EnvoyTranslator memoizing = new EnvoyTranslator(counting).memoizing();
    List<ModelRoute> published = twentyRoutes();
    memoizing.translateAll(published, ProxyGroup.DEFAULT_GATEWAY);

    List<ModelRoute> previewed = twentyRoutes();
    previewed.set(3, route(3, "10.0.9.3:8080"));
    compiled.set(0);
    assertThat(memoizing.translatePreview(previewed, ProxyGroup.DEFAULT_GATEWAY))
        .isEqualTo(EnvoyTranslator.STANDARD.translateAll(previewed, ProxyGroup.DEFAULT_GATEWAY));
    assertThat(compiled).as("the preview compiles only what the memory lacks").hasValue(1);

    compiled.set(0);
    memoizing.translateAll(published, ProxyGroup.DEFAULT_GATEWAY);
    assertThat(compiled).as("the publisher's next translation still finds all its routes").hasValue(0);
  }

  @Test
  void aRouteWhoseOutputFailsTheCheck_staysRejectedFromMemory() {
    RouteCompiler breaking = (route, group) -> {
      RouteOutput out = counting.compile(route, group);
      if (!route.metadata().name().equals("m1")) {
        return out;
      }
      return new RouteOutput(out.clusters().stream().map(c -> c.toBuilder().setName("").build()).toList(),
          out.endpoints(), out.listeners(), out.routeConfigurations(), out.virtualHost());
    };
    EnvoyTranslator memoizing = new EnvoyTranslator(breaking).memoizing();
    List<ModelRoute> routes = List.of(route(0, "10.0.0.1:8080"), route(1, "10.0.0.2:8080"));
    Translation first = memoizing.translateAll(routes, ProxyGroup.PROXYLESS);
    compiled.set(0);
    Translation second = memoizing.translateAll(routes, ProxyGroup.PROXYLESS);
    assertThat(compiled).hasValue(0);
    assertThat(first.rejected()).containsOnlyKeys("ml/m1");
    assertThat(second).isEqualTo(first);
  }

  @Test
  void aRouteTranslatedAlone_isNotCompiledAgain_byTheNextWholeTranslation() {
    EnvoyTranslator memoizing = new EnvoyTranslator(counting).memoizing();
    List<ModelRoute> routes = twentyRoutes();
    for (ProxyGroup group : List.of(ProxyGroup.PROXYLESS, ProxyGroup.DEFAULT_GATEWAY)) {
      memoizing.translateAll(routes, group);
      ModelRoute changed = route(7, "10.0.1.7:8080");
      compiled.set(0);
      assertThat(memoizing.translateAlone(changed, group))
          .isEqualTo(EnvoyTranslator.STANDARD.translateAll(List.of(changed), group));
      assertThat(compiled).as("the write's own check").hasValue(1);

      // The store gives the route back with its server fields set: the same compilation serves.
      routes.set(7, changed.withMetadata(changed.metadata().withServerFields("42", 3L)));
      compiled.set(0);
      Translation published = memoizing.translateAll(routes, group);
      assertThat(compiled).as("routes compiled by the publication after the write").hasValue(0);
      assertThat(published).isEqualTo(EnvoyTranslator.STANDARD.translateAll(routes, group));
      routes.set(7, route(7, "10.0.0.7:8080"));
    }
  }

  @Test
  void theCompilerSeesOnlyWhatTheMemoryIsKeyedBy() {
    List<ModelRoute> seen = new ArrayList<>();
    EnvoyTranslator memoizing = new EnvoyTranslator((route, group) -> {
      seen.add(route);
      return RouteCompiler.STANDARD.compile(route, group);
    }).memoizing();
    ModelRoute stored = route(1, "10.0.0.1:8080")
        .withMetadata(new Metadata("m1", "ml", java.util.Map.of("team", "a"), "7", 2L));
    memoizing.translateAll(List.of(stored), ProxyGroup.PROXYLESS);
    assertThat(seen).containsExactly(
        ModelRoute.of(new Metadata("m1", "ml", java.util.Map.of("team", "a"), null, null), stored.spec()));

    ModelRoute rewritten = stored.withMetadata(stored.metadata().withServerFields("8", 3L));
    memoizing.translateAll(List.of(rewritten), ProxyGroup.PROXYLESS);
    assertThat(seen).as("new server fields do not compile anew").hasSize(1);

    ModelRoute relabelled = stored.withMetadata(new Metadata("m1", "ml", java.util.Map.of("team", "b"), "9", 4L));
    memoizing.translateAll(List.of(relabelled), ProxyGroup.PROXYLESS);
    assertThat(seen).as("new labels do").hasSize(2);
  }

  @Test
  void routesHandedOver_areBounded_theOldestGoFirst() {
    EnvoyTranslator memoizing = new EnvoyTranslator(counting).memoizing();
    List<ModelRoute> routes = new ArrayList<>();
    for (int i = 0; i <= CompiledRoutes.HANDED_OVER; i++) {
      routes.add(route(i, "10.0.0.1:8080"));
      memoizing.translateAlone(routes.get(i), ProxyGroup.PROXYLESS);
    }
    compiled.set(0);
    memoizing.translateAll(routes, ProxyGroup.PROXYLESS);
    assertThat(compiled).as("only the first route handed over was forgotten").hasValue(1);
  }
}
