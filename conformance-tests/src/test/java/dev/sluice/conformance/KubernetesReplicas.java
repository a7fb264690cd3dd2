package dev.sluice.conformance;

import java.nio.file.Path;
import java.time.Duration;

/** Control-plane replicas in Kubernetes mode against one real API server, and their Lease. */
final class KubernetesReplicas {
  /** Short enough for a takeover within a test, long enough for a loaded 2-core machine. */
  static final Duration LEASE = Duration.ofSeconds(4);

  private KubernetesReplicas() {}

  /** A started replica named {@code podName} with its store in {@code store}. */
  static ControlPlane replica(KubeApiServer kube, Path store, String podName) {
    ControlPlane cp = ControlPlane.prepare(store).withArgs(
        "--sluice.store.type=kubernetes",
        "--sluice.kubernetes.kubeconfig=" + kube.kubeconfig(),
        "--sluice.kubernetes.pod-name=" + podName,
        "--sluice.kubernetes.leader-election.lease-duration=" + LEASE.toSeconds() + "s",
        "--sluice.kubernetes.leader-election.renew-deadline=3s",
        "--sluice.kubernetes.leader-election.retry-period=500ms",
        // Stopping a replica then leaves the Lease as killing it would: unreleased, it must expire.
        "--sluice.kubernetes.leader-election.release-on-shutdown=false");
    cp.start();
    return cp;
  }

  /** The Lease's holder once it is someone other than {@code previous}. */
  static String awaitHolder(KubeApiServer kube, String previous) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      String holder = kube.kubectl(null, "get", "lease", "sluice-leader", "-n", "sluice-system", "-o",
          "jsonpath={.spec.holderIdentity}").out().strip();
      if (!holder.isEmpty() && !holder.equals(previous)) {
        return holder;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no new Lease holder after " + previous + " within 30 s");
  }
}
