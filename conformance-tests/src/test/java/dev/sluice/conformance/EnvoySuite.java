package dev.sluice.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One lifecycle for every Envoy test class: a control plane on a fresh store and one real Envoy
 * for the class, both stopped after it; Envoy's {@code /config_dump} kept in {@code target/envoy/}
 * when a test fails; no NACK from Envoy, checked after every test; and each test's outcome in the conformance report under its display name, in
 * the column of the Envoy version that ran it.
 *
 * <pre>{@code
 * @RegisterExtension static final EnvoySuite suite = EnvoySuite.gateway("envoy-gateway-1");
 * }</pre>
 *
 * Without an Envoy (see {@link EnvoyRuntime}) every test of the class is skipped with the reason,
 * or fails on CI. The check is made before each test, not in {@code beforeAll}: Surefire 3.5 drops
 * classes aborted in {@code @BeforeAll} from its report (SUREFIRE-2300), which would hide the skip.
 */
final class EnvoySuite implements BeforeAllCallback, BeforeEachCallback, AfterTestExecutionCallback,
    AfterAllCallback, TestWatcher {
  private static final Logger log = LoggerFactory.getLogger(EnvoySuite.class);

  /** Starts a control plane on the given store folder. */
  interface ControlPlaneStarter {
    ControlPlane start(Path store) throws Exception;
  }

  /** Starts the Envoy the tests drive, against the started control plane. */
  interface EnvoyStarter {
    EnvoyGateway start(ControlPlane cp) throws Exception;
  }

  private final String nodeId;
  private final ControlPlaneStarter controlPlane;
  private final EnvoyStarter envoyStarter;
  private RuntimeException unavailable;
  private EnvoyRuntime runtime;
  private Path store;
  private ControlPlane cp;
  private EnvoyGateway envoy;
  private final ConformanceReport.Watcher report = ConformanceReport.watcher();

  private boolean nacksExpected;

  private EnvoySuite(String nodeId, ControlPlaneStarter controlPlane, EnvoyStarter envoyStarter) {
    this.nodeId = nodeId;
    this.controlPlane = controlPlane;
    this.envoyStarter = envoyStarter;
  }

  /** A control plane on its defaults and a gateway with this node id bootstrapped on the plaintext port. */
  static EnvoySuite gateway(String nodeId) {
    return new EnvoySuite(nodeId, ControlPlane::start, cp -> EnvoyGateway.start(cp, nodeId));
  }

  /** The same suite with another way to start the control plane. */
  EnvoySuite withControlPlane(ControlPlaneStarter starter) {
    return new EnvoySuite(nodeId, starter, envoyStarter);
  }

  /** The same suite with another way to start Envoy, which must use the suite's node id. */
  EnvoySuite withEnvoy(EnvoyStarter starter) {
    return new EnvoySuite(nodeId, controlPlane, starter);
  }

  ControlPlane cp() {
    return cp;
  }

  EnvoyGateway envoy() {
    return envoy;
  }

  /** The Envoy this run uses (the slot's version and binary). */
  EnvoyRuntime runtime() {
    return runtime;
  }

  /**
   * Writes the ModelRoute {@code ml/<name>} and waits until Envoy answers 200 for its host
   * {@code <name>.ml}: listener, route, cluster and endpoints have all arrived.
   */
  void putRoute(String name, String json) throws InterruptedException {
    ControlPlane.Response r = cp.put("/api/v1/namespaces/ml/modelroutes/" + name, "application/json", json);
    if (r.status() != 200 && r.status() != 201) {
      throw new AssertionError("PUT " + name + ": HTTP " + r.status() + " " + r.body());
    }
    envoy.awaitFirst200(name + ".ml", java.time.Duration.ofSeconds(30));
  }

  /** The same suite for tests whose point is a NACK: its Envoy's rejections do not fail them. */
  EnvoySuite expectingNacks() {
    this.nacksExpected = true;
    return this;
  }

  /** Counts or timings for the conformance report, next to this test's result. */
  void detail(String text) {
    report.detail(text);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    try {
      runtime = EnvoyRuntime.select();
    } catch (RuntimeException e) {
      unavailable = e;
      return;
    }
    store = Files.createTempDirectory("sluice-envoy-store-");
    cp = controlPlane.start(store);
    envoy = envoyStarter.start(cp);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    report.begin(client(), context.getDisplayName());
    if (unavailable != null) {
      throw unavailable;
    }
  }

  /**
   * Envoy rejected nothing Sluice sent during the test: the control plane lists no NACK for it.
   * Checked after the test body, so a NACK fails the test that caused it.
   */
  @Override
  public void afterTestExecution(ExtensionContext context) {
    if (envoy != null && !nacksExpected && context.getExecutionException().isEmpty()) {
      ProxyStatus status = ProxyStatus.of(cp, nodeId);
      if (status != null && status.nacks() > 0) {
        envoy.dumpConfig(context.getRequiredTestMethod().getName());
        throw new AssertionError("Envoy " + runtime.version() + " (" + nodeId + ") NACKed " + status.nacks()
            + " responses: " + cp.get("/api/v1/proxies/" + nodeId).body());
      }
    }
    if (envoy != null && context.getExecutionException().isPresent()) {
      Path dump = envoy.dumpConfig(context.getRequiredTestMethod().getName());
      log.warn("{} failed; Envoy's config_dump and logs are in {}", context.getDisplayName(), dump.getParent());
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    if (envoy != null) {
      envoy.close();
    }
    if (cp != null) {
      cp.close();
    }
    if (store != null) {
      try (Stream<Path> files = Files.walk(store)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Override
  public void testSuccessful(ExtensionContext context) {
    report.testSuccessful(context);
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    report.testFailed(context, cause);
  }

  @Override
  public void testAborted(ExtensionContext context, Throwable cause) {
    report.testAborted(context, cause);
  }

  /** The report's column: the Envoy version that runs, or the slot when none was found. */
  private String client() {
    return runtime == null ? "Envoy (" + System.getProperty("sluice.envoy.slot", "primary") + ")"
        : "Envoy " + runtime.version();
  }
}
