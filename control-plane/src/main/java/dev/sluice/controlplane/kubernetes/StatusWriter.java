package dev.sluice.controlplane.kubernetes;

import dev.sluice.controlplane.status.RouteStatuses;
import dev.sluice.controlplane.xds.RouteProgramming;
import dev.sluice.model.ModelRouteStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each ModelRoute's status (Accepted, Programmed, proxy counts, observedGeneration) to its
 * status subresource, and records each new generation of a valid route in its
 * {@link RevisionHistory}, on the leader only.
 *
 * <p>Each round compares the status Sluice would show with the one the API server holds and writes
 * only those that differ, at most {@link KubernetesProperties#STATUS_WRITES_PER_ROUND}; so it cannot
 * loop on its own writes (a written status equals the wanted one next round), and a burst of
 * changes is spread over rounds. Each write carries the resourceVersion the status was computed
 * from: if the spec moved meanwhile the API server refuses it (409) and the next round computes
 * again, so a status never claims a generation it was not computed for.
 */
final class StatusWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StatusWriter.class);

  private final KubernetesClient client;
  private final KubernetesRouteStore store;
  private final RouteStatuses statuses;
  private final RevisionHistory history;
  private final ReplicaViews views;
  private final RouteProgramming programming;
  private final BooleanSupplier leading;
  private ScheduledFuture<?> rounds;

  StatusWriter(KubernetesClient client, KubernetesRouteStore store, RouteStatuses statuses, RevisionHistory history,
      ReplicaViews views, RouteProgramming programming, BooleanSupplier leading) {
    this.client = client;
    this.store = store;
    this.statuses = statuses;
    this.history = history;
    this.views = views;
    this.programming = programming;
    this.leading = leading;
  }

  void start(ScheduledExecutorService scheduler, Duration interval) {
    rounds = scheduler.scheduleWithFixedDelay(this::roundQuietly, interval.toMillis(), interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /**
   * One round: every replica shares its view of its proxies; the leader then writes statuses and
   * revisions. Returns how many statuses and revisions it wrote.
   */
  int round() {
    views.publish(store.list(null), programming);
    if (!leading.getAsBoolean()) {
      return 0;
    }
    views.deleteAbandoned();
    int written = 0;
    for (KubernetesRouteStore.Entry entry : store.entries()) {
      if (written >= KubernetesProperties.STATUS_WRITES_PER_ROUND) {
        break;
      }
      if (entry.route() != null && entry.uid() != null && history.record(entry.route(), entry.uid())) {
        written++;
      }
      ModelRouteStatus wanted = entry.route() != null
          ? statuses.of(entry.route())
          : RouteStatuses.refused(entry.generation(), null, entry.errors());
      if (Objects.equals(wanted, entry.status())) {
        continue;
      }
      try {
        client.genericKubernetesResources(ModelRouteResources.CONTEXT)
            .inNamespace(entry.namespace())
            .resource(ModelRouteResources.withStatus(entry, wanted))
            .updateStatus();
        written++;
        log.info("status of ModelRoute {}/{} generation {}: {}", entry.namespace(), entry.name(), entry.generation(),
            summary(wanted));
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409 || e.getCode() == 404) {
          continue; // changed or gone meanwhile: the watch brings the new state, the next round uses it
        }
        log.warn("cannot write the status of ModelRoute {}/{}: HTTP {} {}", entry.namespace(), entry.name(),
            e.getCode(), e.getMessage());
      }
    }
    return written;
  }

  private void roundQuietly() {
    try {
      round();
    } catch (RuntimeException e) {
      log.warn("status round failed; the next one retries", e);
    }
  }

  private static String summary(ModelRouteStatus status) {
    StringBuilder s = new StringBuilder();
    for (ModelRouteStatus.Condition c : status.conditions()) {
      s.append(c.type()).append('=').append(c.status()).append(' ');
    }
    if (status.proxies() != null) {
      s.append("proxies acked ").append(status.proxies().acked()).append(" nacked ").append(status.proxies().nacked())
          .append(" pending ").append(status.proxies().pending());
    }
    return s.toString().strip();
  }

  @Override
  public void close() {
    if (rounds != null) {
      rounds.cancel(false);
    }
  }
}
