package dev.sluice.benchmarks.load;

import dev.sluice.controlplane.SluiceApplication;
import dev.sluice.controlplane.ca.CertificateAuthority;
import dev.sluice.controlplane.store.RouteStore;
import dev.sluice.controlplane.tokens.BootstrapTokens;
import dev.sluice.controlplane.xds.XdsServer;
import dev.sluice.translate.ContentVersion;
import dev.sluice.translate.EnvoyTranslator;
import dev.sluice.translate.ProxyGroup;
import dev.sluice.translate.ProxyRole;
import io.envoyproxy.controlplane.cache.StatusInfo;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Sluice itself, as users run it (embedded store; plaintext ADS, or its TLS port with a bootstrap
 * token per proxy for {@code tls} plans), with the workload written through
 * the REST API. Its clock for a change starts when the store announces the write, which is when the
 * publisher's debounce starts; so "after the debounce" is that time plus the debounce.
 */
final class SluiceServer implements LoadServer.Target {
  private final ConfigurableApplicationContext context;
  private final HttpClient http = HttpClient.newHttpClient();
  private final int restPort;
  private final Workload workload;
  private final String authorization;
  private volatile long storeChanged;
  private boolean changed;

  private SluiceServer(ConfigurableApplicationContext context, Workload workload, String authorization) {
    this.context = context;
    this.authorization = authorization;
    this.workload = workload;
    this.restPort = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
    context.getBean(RouteStore.class).onChange(() -> storeChanged = System.nanoTime());
  }

  static SluiceServer start(Workload workload, int debounceMs) throws Exception {
    return start(workload, debounceMs, Files.createTempDirectory("sluice-load"), 0);
  }

  /**
   * Sluice on this store folder and xDS port (0: any free one). A store that holds the workload's
   * routes already (a restart) is served as it is; otherwise the routes are written first.
   */
  static SluiceServer start(Workload workload, int debounceMs, java.nio.file.Path store, int xdsPort) throws Exception {
    ConfigurableApplicationContext context = new SpringApplicationBuilder(SluiceApplication.class).run(
        "--server.port=0", "--server.address=127.0.0.1", "--sluice.xds.port=" + xdsPort, "--sluice.xds.secure-port=0",
        "--sluice.xds.address=127.0.0.1", "--sluice.store.path=" + store,
        "--sluice.xds.debounce=" + debounceMs + "ms", "--spring.main.banner-mode=off",
        "--logging.level.root=WARN", "--logging.level.sluice.audit=OFF");
    // No token configured: the control plane wrote an admin token into its store.
    SluiceServer server = new SluiceServer(context, workload,
        "Bearer " + Files.readString(store.resolve("admin-token")).strip());
    if (context.getBean(RouteStore.class).list(null).size() < workload.routes()) {
      for (int i = 0; i < workload.routes(); i++) {
        server.put(i, Workload.document(i, 90, 2000));
      }
    }
    return server;
  }

  @Override
  public int xdsPort() {
    return context.getBean(XdsServer.class).port();
  }

  @Override
  public long change() throws Exception {
    changed = !changed;
    put(0, Workload.document(0, changed ? 50 : 90, 2000));
    return storeChanged;
  }

  /** Changes one route's timeout at a time, round robin; every state of the store is new. */
  @Override
  public String churn(int perSecond, int seconds, int offset) throws Exception {
    EnvoyTranslator translator = context.getBean(EnvoyTranslator.class);
    RouteStore store = context.getBean(RouteStore.class);
    long interval = 1_000_000_000L / perSecond;
    long begin = System.nanoTime();
    StringJoiner out = new StringJoiner(" ");
    for (int k = 0; k < perSecond * seconds; k++) {
      LockSupport.parkNanos(begin + k * interval - System.nanoTime());
      put(k % workload.routes(), Workload.document(k % workload.routes(), 90, 3000 + offset + k));
      long at = storeChanged;
      // The version the publisher will give these routes: the same translation of the same store.
      String version = ContentVersion.of(translator.translateAll(store.list(null), ProxyGroup.DEFAULT_GATEWAY)
          .resources().routes());
      out.add(at + ":" + version);
    }
    return out.toString();
  }

  @Override
  public String secure() {
    String bundle = context.getBean(CertificateAuthority.class).trustBundlePem();
    return context.getBean(XdsServer.class).securePort() + " "
        + Base64.getEncoder().encodeToString(bundle.getBytes(StandardCharsets.US_ASCII));
  }

  /** What {@code POST /api/v1/namespaces/ml/bootstrap} mints for a gateway, without the bootstrap around it. */
  @Override
  public String token(String nodeId) {
    BootstrapTokens tokens = context.getBean(BootstrapTokens.class);
    return tokens.mint(Workload.NAMESPACE, "load", nodeId, ProxyRole.GATEWAY, tokens.properties().defaultTtl()).token();
  }

  @Override
  public long watches() {
    return openWatches(context);
  }

  /** The proxies connected now, as the control plane's own gauge ({@code sluice_xds_connected_proxies}) counts them. */
  @Override
  public long connected() {
    return Math.round(context.getBean(io.micrometer.core.instrument.MeterRegistry.class)
        .find("sluice.xds.connected.proxies").gauges().stream().mapToDouble(g -> g.value()).sum());
  }

  @Override
  public String publisher() {
    MeterRegistry registry = context.getBean(MeterRegistry.class);
    double count = registry.find("sluice.xds.publications").counters().stream().mapToDouble(Counter::count).sum();
    double nanos = registry.find("sluice.xds.publication.cpu").timers().stream()
        .mapToDouble(t -> t.totalTime(TimeUnit.NANOSECONDS)).sum();
    return Math.round(count) + " " + Math.round(nanos);
  }

  /** The open watches of a running control plane's snapshot cache, over every group. */
  static long openWatches(org.springframework.context.ApplicationContext context) {
    @SuppressWarnings("unchecked")
    SimpleCache<ProxyGroup> cache = context.getBean(SimpleCache.class);
    long n = 0;
    for (ProxyGroup group : cache.groups()) {
      StatusInfo<ProxyGroup> status = cache.statusInfo(group);
      n += status == null ? 0 : status.numWatches();
    }
    return n;
  }

  private void put(int i, String document) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + restPort + "/api/v1/namespaces/" + Workload.NAMESPACE + "/modelroutes/"
                + Workload.name(i)))
        .header("Content-Type", "application/json").header("Authorization", authorization)
        .PUT(HttpRequest.BodyPublishers.ofString(document)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300) {
      throw new IllegalStateException("PUT " + Workload.name(i) + ": " + r.statusCode() + " " + r.body());
    }
  }

  @Override
  public void close() {
    context.close();
  }
}
