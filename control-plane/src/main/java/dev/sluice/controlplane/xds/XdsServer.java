package dev.sluice.controlplane.xds;

import dev.sluice.controlplane.measure.MeasurementServices;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The xDS endpoints: ADS (state-of-the-world and delta) in plaintext on {@code sluice.xds.port},
 * routing only; and ADS plus SDS over TLS on {@code sluice.xds.secure-port}, where every stream
 * proves its identity and may get its own secrets. Both listen at once but refuse streams until the
 * first snapshot of every group is built from the store.
 *
 * <p>Both ports also take the data plane's measurements: load reports (LRS) and access logs (ALS),
 * for rollouts ({@code dev.sluice.controlplane.measure}); who may send them on each port is
 * {@link MeasurementGates}'s decision.
 *
 * <p>Threads: both ports handle requests on the transport's event-loop threads (grpc-java's direct
 * executor). Nothing they run per request waits on I/O: the guard, the stream registry, the cache's
 * watch (its lock is held only to swap a snapshot in) and the measurements are in memory. Handing
 * each ACK to a pool thread instead cost a wake-up per ACK and, at a thousand proxies, about a fifth
 * of the CPU per change and fifty pool threads (benchmarks/RESULTS.md). What does wait on I/O is a
 * new call's admission on the TLS port (a bootstrap token looked up in the store, a service-account
 * token reviewed by the Kubernetes API server, CSDS's RBAC question): that runs on the admission
 * executor's threads ({@link OffThreadAdmission}).
 */
public final class XdsServer implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(XdsServer.class);

  private final XdsProperties properties;
  private final GuardedDiscoveryServer discovery;
  private final XdsReadiness readiness;
  private final SnapshotPublisher publisher;
  private final SecureXds secure;
  private final ClientStatusService clientStatus;
  private final CsdsAuthorization csdsAuthorization;
  private final MeasurementServices measurements;
  private final StreamRegistry streams;
  private final Executor admissions;
  private volatile Server server;
  private volatile Server secureServer;

  XdsServer(XdsProperties properties, GuardedDiscoveryServer discovery, XdsReadiness readiness, SnapshotPublisher publisher,
      SecureXds secure, ClientStatusService clientStatus, CsdsAuthorization csdsAuthorization,
      MeasurementServices measurements, StreamRegistry streams, Executor admissions) {
    this.admissions = admissions;
    this.measurements = measurements;
    this.streams = streams;
    this.clientStatus = clientStatus;
    this.csdsAuthorization = csdsAuthorization;
    this.properties = properties;
    this.discovery = discovery;
    this.readiness = readiness;
    this.publisher = publisher;
    this.secure = secure;
  }

  @Override
  public void start() {
    try {
      NettyServerBuilder plaintext = NettyServerBuilder.forAddress(new InetSocketAddress(properties.address(), properties.port()))
          .directExecutor() // see the class comment: nothing on this port waits on I/O
          .addService(ServerInterceptors.intercept(discovery.getAggregatedDiscoveryServiceImpl(), EndableCall.CLEAN_UP, readiness));
      if (measurements.onPlaintextPort()) {
        plaintext.addService(ServerInterceptors.intercept(measurements.loadReporting(MeasurementGates.anyone()),
                EndableCall.CLEAN_UP, readiness))
            .addService(ServerInterceptors.intercept(measurements.accessLogs(MeasurementGates.anyone()),
                EndableCall.CLEAN_UP, readiness));
      }
      server = keepAlive(plaintext).build().start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen for xDS on " + properties.address() + ":" + properties.port(), e);
    }
    try {
      TlsServerCredentials tls = (TlsServerCredentials) TlsServerCredentials.newBuilder()
          .keyManager(secure.serving().keyManager())
          .build();
      // Interceptors run last-listed first: readiness, the credential check, then call tracking.
      secureServer = NettyServerBuilder.forAddress(new InetSocketAddress(properties.address(), properties.securePort()), tls)
          .directExecutor() // see the class comment: admissions run on their own threads
          .addService(secured(discovery.getAggregatedDiscoveryServiceImpl().bindService()))
          .addService(secured(discovery.getSecretDiscoveryServiceImpl().bindService()))
          // CSDS: what each proxy runs, for operators' tools with a viewer's token, which TLS keeps private
          .addService(ServerInterceptors.intercept(clientStatus, offThread(csdsAuthorization)))
          // Measurements: load reports with the same proof as ADS; access logs with it, or vouched
          // for by the node's authenticated ADS stream from the same host (MeasurementGates).
          .addService(secured(measurements.loadReporting(MeasurementGates.proven())))
          .addService(ServerInterceptors.intercept(measurements.accessLogs(MeasurementGates.provenOrVouched(streams)),
              EndableCall.CLEAN_UP, offThread(secure.streams().whenPresented()), readiness))
          .permitKeepAliveTime(10, TimeUnit.SECONDS)
          .permitKeepAliveWithoutCalls(true)
          .build()
          .start();
    } catch (IOException e) {
      server.shutdownNow();
      throw new UncheckedIOException("cannot listen for secure xDS on " + properties.address() + ":"
          + properties.securePort(), e);
    }
    publisher.publishNow(); // throws if the store cannot be read: no empty config is ever served
    secure.start();
    readiness.markReady();
    log.info("xDS server ready on {}:{} (plaintext ADS: routing only) and {} (TLS ADS and SDS: authenticated proxies)",
        properties.address(), port(), securePort());
  }

  private static NettyServerBuilder keepAlive(NettyServerBuilder builder) {
    return builder.permitKeepAliveTime(10, TimeUnit.SECONDS).permitKeepAliveWithoutCalls(true);
  }

  private ServerServiceDefinition secured(ServerServiceDefinition service) {
    return ServerInterceptors.intercept(service, EndableCall.CLEAN_UP, offThread(secure.streams()), readiness);
  }

  private ServerInterceptor offThread(ServerInterceptor admission) {
    return new OffThreadAdmission(admission, admissions);
  }

  /** The secure port actually bound (useful when configured as 0). */
  public int securePort() {
    Server s = secureServer;
    if (s == null) {
      throw new IllegalStateException("the xDS server is not running");
    }
    return s.getPort();
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
    secure.close();
    halt(secureServer);
    secureServer = null;
    halt(server);
    server = null;
    publisher.close();
  }

  private static void halt(Server s) {
    if (s != null) {
      s.shutdownNow();
      try {
        s.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isRunning() {
    return server != null;
  }
}
