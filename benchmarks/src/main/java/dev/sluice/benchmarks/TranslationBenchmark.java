package dev.sluice.benchmarks;

import dev.sluice.model.ModelRoute;
import dev.sluice.translate.EnvoyTranslator;
import dev.sluice.translate.ProxyGroup;
import dev.sluice.translate.Translation;
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
    all = BenchmarkRoutes.routes(routes);
    proxyGroup = group.equals("gateway") ? ProxyGroup.DEFAULT_GATEWAY : ProxyGroup.PROXYLESS;
    Translation t = EnvoyTranslator.STANDARD.translateAll(all, proxyGroup);
    if (!t.rejected().isEmpty()) {
      throw new IllegalStateException("benchmark routes rejected: " + t.rejected());
    }
    System.out.printf("%n[B4] %d routes for %s: %d Envoy resources%n", routes, group, t.resources().size());
    memoizing = EnvoyTranslator.STANDARD.memoizing();
    memoizing.translateAll(all, proxyGroup);
    firstRoute = new ModelRoute[] {all.get(0), BenchmarkRoutes.route(0, 80)};
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
