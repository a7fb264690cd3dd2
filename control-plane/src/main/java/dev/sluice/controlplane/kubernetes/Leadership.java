package dev.sluice.controlplane.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectorBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this replica leads, decided by a Kubernetes Lease in the control plane's namespace
 * (fabric8's LeaderElector). Every replica serves xDS; only the leader writes status. Closing
 * releases the Lease, so a replica shut down in order hands over at once rather than after the
 * lease duration.
 */
final class Leadership implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Leadership.class);

  private final String identity;
  private volatile boolean leading;
  private CompletableFuture<?> election;

  private Leadership(String identity) {
    this.identity = identity;
  }

  /**
   * Joins the election; {@code onChange} is told (on the elector's thread) each time leading starts
   * ({@code true}) or stops ({@code false}), after {@link #leading()} changed.
   */
  static Leadership join(KubernetesClient client, KubernetesProperties properties, Executor executor,
      Consumer<Boolean> onChange) {
    // Two replicas may share a pod name (tests, or a pod restarted in place): the suffix keeps their identities apart.
    String identity = properties.podName() + "_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    Leadership leadership = new Leadership(identity);
    KubernetesProperties.LeaderElection le = properties.leaderElection();
    LeaderCallbacks callbacks = new LeaderCallbacks(
        () -> {
          leadership.leading = true;
          log.info("{} leads (Lease {}/{}): it writes ModelRoute status from now on", identity, properties.namespace(),
              le.leaseName());
          onChange.accept(true);
        },
        () -> {
          leadership.leading = false;
          log.info("{} no longer leads (Lease {}/{})", identity, properties.namespace(), le.leaseName());
          onChange.accept(false);
        },
        leader -> log.info("Lease {}/{} is held by {}", properties.namespace(), le.leaseName(), leader));
    leadership.election = new LeaderElectorBuilder(client, executor)
        .withConfig(new LeaderElectionConfigBuilder()
            .withName(le.leaseName())
            .withLock(new LeaseLock(properties.namespace(), le.leaseName(), identity))
            .withLeaseDuration(le.leaseDuration())
            .withRenewDeadline(le.renewDeadline())
            .withRetryPeriod(le.retryPeriod())
            .withLeaderCallbacks(callbacks)
            .withReleaseOnCancel(le.releaseOnShutdown())
            .build())
        .build()
        .start();
    return leadership;
  }

  boolean leading() {
    return leading;
  }

  String identity() {
    return identity;
  }

  @Override
  public void close() {
    if (election != null) {
      election.cancel(true);
    }
    leading = false;
  }
}
