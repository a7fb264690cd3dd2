package dev.sluice.benchmarks.load;

import dev.sluice.controlplane.SluiceApplication;
import dev.sluice.controlplane.xds.XdsServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Sluice in Kubernetes mode, as users run it there: ModelRoutes and EndpointSlices come from the
 * API server the kubeconfig names (the driver wrote them), plaintext ADS, the default debounce
 * unless told otherwise. It makes no changes of its own: the driver changes EndpointSlices.
 */
final class KubeSluiceServer implements LoadServer.Target {
  private final ConfigurableApplicationContext context;

  private KubeSluiceServer(ConfigurableApplicationContext context) {
    this.context = context;
  }

  static KubeSluiceServer start(Path kubeconfig, int debounceMs) throws IOException {
    // The SQLite file Sluice still opens in Kubernetes mode goes to a folder of its own, not the working one.
    return new KubeSluiceServer(new SpringApplicationBuilder(SluiceApplication.class).run(
        "--sluice.store.type=kubernetes", "--sluice.kubernetes.kubeconfig=" + kubeconfig,
        "--sluice.store.path=" + Files.createTempDirectory("sluice-k8s-load"),
        "--server.port=0", "--server.address=127.0.0.1", "--sluice.xds.port=0", "--sluice.xds.secure-port=0",
        "--sluice.xds.address=127.0.0.1", "--sluice.xds.debounce=" + debounceMs + "ms",
        "--spring.main.banner-mode=off", "--logging.level.root=WARN", "--logging.level.sluice.audit=OFF"));
  }

  @Override
  public int xdsPort() {
    return context.getBean(XdsServer.class).port();
  }

  @Override
  public long change() {
    throw new UnsupportedOperationException("in Kubernetes mode the driver changes EndpointSlices itself");
  }

  @Override
  public long watches() {
    return SluiceServer.openWatches(context);
  }

  @Override
  public void close() {
    context.close();
  }
}
