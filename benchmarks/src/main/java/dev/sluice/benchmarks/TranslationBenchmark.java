package dev.sluice.benchmarks;

import dev.sluice.model.Metadata;
import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelRouteSpec;
import dev.sluice.model.ModelVersion;
import dev.sluice.model.Protocol;
import dev.sluice.model.RetryPolicy;
import dev.sluice.translate.EnvoyTranslator;
import dev.sluice.translate.ProxyGroup;
import dev.sluice.translate.Translation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * B4: translating every stored ModelRoute for one proxy group, as the publisher does on each
 * change: validation, host conflicts, per-route compilation, the Envoy rule check and assembly.
 * Each route has two versions (a 90/10 canary) with two endpoints each, a timeout and retries.
 * Divide the time per operation by the resource count printed at set-up for microseconds per
 * resource.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class TranslationBenchmark {
  @Param({"100", "1000", "10000"})
  public int routes;

  @Param({"gateway", "proxyless"})
  public String group;

  private List<ModelRoute> all;
  private ProxyGroup proxyGroup;
  private EnvoyTranslator memoizing;
  private ModelRoute[] firstRoute;
  private int flip;

  @Setup
  public void setUp() {
    all = new ArrayList<>(routes);
    for (int i = 0; i < routes; i++) {
      String name = "model-" + i;
      String ns = "team-" + (i % 20);
      all.add(ModelRoute.of(Metadata.of(ns, name), new ModelRouteSpec(
          List.of(name + "." + ns, name + "." + ns + ".svc.cluster.local"), 8080, Protocol.GRPC,
          List.of(
              new ModelVersion("v1", 90, List.of(ip(i, 1), ip(i, 2))),
              new ModelVersion("v2", 10, List.of(ip(i, 3), ip(i, 4)))),
          "2s", new RetryPolicy(3, "500ms", List.of("unavailable")))));
    }
    proxyGroup = group.equals("gateway") ? ProxyGroup.DEFAULT_GATEWAY : ProxyGroup.PROXYLESS;
    Translation t = EnvoyTranslator.STANDARD.translateAll(all, proxyGroup);
    if (!t.rejected().isEmpty()) {
      throw new IllegalStateException("benchmark routes rejected: " + t.rejected());
    }
    System.out.printf("%n[B4] %d routes for %s: %d Envoy resources%n", routes, group, t.resources().size());
    memoizing = EnvoyTranslator.STANDARD.memoizing();
    memoizing.translateAll(all, proxyGroup);
    ModelRoute first = all.get(0);
    firstRoute = new ModelRoute[] {first, first.withSpec(first.spec().withVersions(List.of(
        new ModelVersion("v1", 80, List.of(ip(0, 1), ip(0, 2))),
        new ModelVersion("v2", 20, List.of(ip(0, 3), ip(0, 4))))))};
  }

  private static String ip(int route, int host) {
    return "10." + (route / 250 % 250) + "." + (route % 250) + "." + host + ":8080";
  }

  @Benchmark
  public Translation translateAll() {
    return EnvoyTranslator.STANDARD.translateAll(all, proxyGroup);
  }

  /** What the publisher does: the whole store again, after one route's weights changed. */
  @Benchmark
  public Translation republishAfterOneChange() {
    flip ^= 1;
    all.set(0, firstRoute[flip]);
    return memoizing.translateAll(all, proxyGroup);
  }
}
