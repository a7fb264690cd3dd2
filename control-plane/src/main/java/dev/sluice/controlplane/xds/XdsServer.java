package dev.sluice.controlplane.xds;

import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The ADS endpoint (state-of-the-world and delta). It listens at once but refuses streams until the
 * first snapshot of every group is built from the store.
 */
public final class XdsServer implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(XdsServer.class);

  private final XdsProperties properties;
  private final V3DiscoveryServer discovery;
  private final XdsReadiness readiness;
  private final SnapshotPublisher publisher;
  private volatile Server server;

  XdsServer(XdsProperties properties, V3DiscoveryServer discovery, XdsReadiness readiness, SnapshotPublisher publisher) {
    this.properties = properties;
    this.discovery = discovery;
    this.readiness = readiness;
    this.publisher = publisher;
  }

  @Override
  public void start() {
    try {
      server = NettyServerBuilder.forAddress(new InetSocketAddress(properties.address(), properties.port()))
          .addService(ServerInterceptors.intercept(discovery.getAggregatedDiscoveryServiceImpl(), readiness))
          .permitKeepAliveTime(10, TimeUnit.SECONDS)
          .permitKeepAliveWithoutCalls(true)
          .build()
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen for xDS on " + properties.address() + ":" + properties.port(), e);
    }
    publisher.publishNow(); // throws if the store cannot be read: no empty config is ever served
    readiness.markReady();
    log.info("xDS server ready on {}:{} (ADS, state-of-the-world and delta)", properties.address(), port());
  }

  /** The port actually bound (useful when configured as 0). */
  public int port() {
    Server s = server;
    if (s == null) {
      throw new IllegalStateException("the xDS server is not running");
    }
    return s.getPort();
  }

  @Override
  public void stop() {
    Server s = server;
    if (s != null) {
      s.shutdownNow();
      try {
        s.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      server = null;
    }
    publisher.close();
  }

  @Override
  public boolean isRunning() {
    return server != null;
  }
}
