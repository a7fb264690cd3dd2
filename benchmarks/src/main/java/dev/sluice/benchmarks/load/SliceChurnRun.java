package dev.sluice.benchmarks.load;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The slice churn (issue 13) against Sluice in Kubernetes mode: a real kube-apiserver and etcd, the
 * ModelRoutes as custom resources and their versions' EndpointSlices written there, Sluice in a JVM
 * of its own watching them, and a fleet of simulated gateway proxies receiving every cluster's
 * endpoints. Then EndpointSlice updates at a steady rate, each one endpoint going unready or coming
 * back at a new address ({@link SliceWorkload}). For every (update, proxy) pair: from the moment the
 * API server answered the update to the proxy's ACK of the first endpoints that reflect it, matched
 * by content ({@link SliceSightings}). Sluice's debounce is part of that time, not subtracted. The
 * first twenty seconds of updates warm Sluice up (a control plane that has been up a while) and
 * are not measured; the measured updates follow them at the same pace.
 */
final class SliceChurnRun {
  private static final String CONTROL_PLANE_NAMESPACE = "sluice-system";

  /**
   * One run.
   *
   * @param clusters clusters (EndpointSlices) the updates went round
   * @param updates measured EndpointSlice updates, made in {@code seconds}
   * @param phaseSeconds from the first measured update until the last pair was reached (or the wait gave up)
   * @param latencies every reached (update, proxy) pair, from the API server's answer to the ACK
   * @param missing pairs never reached within two minutes of the last update (should be 0)
   * @param unmatched assignments whose addresses named no state of their slice (must be 0)
   * @param regressions assignments that named an older state than the proxy held (must be 0)
   * @param writes each update's round trip to the API server
   * @param responses EDS responses that moved some cluster on, as the first proxy received them, in
   *     the measured part
   * @param sluiceCpu CPU seconds of Sluice's process over the phase
   * @param kubeCpu CPU seconds of kube-apiserver and etcd over the phase
   * @param toolCpu CPU seconds of this JVM (the proxies and the writer) over the phase
   */
  record Result(Plan.SliceChurn plan, int clusters, int proxies, int updates, double seconds, double phaseSeconds,
      Latencies latencies, long missing, long unmatched, long regressions, Latencies writes, int responses,
      double sluiceCpu, double kubeCpu, double toolCpu, long heapBefore, long heapAfter) {}

  static Result run(Plan.SliceChurn plan, int debounceMs) throws Exception {
    SliceWorkload workload = new SliceWorkload(plan.routes());
    try (KubeApi kube = KubeApi.start(); KubernetesClient client = kube.client()) {
      kube.prepare(client, List.of(SliceWorkload.NAMESPACE, CONTROL_PLANE_NAMESPACE));
      String[] resourceVersions = new String[workload.sliceCount()];
      Map<String, String> initial = new LinkedHashMap<>();
      for (int s = 0; s < workload.sliceCount(); s++) {
        resourceVersions[s] = slices(client).resource(workload.object(s, null)).create().getMetadata().getResourceVersion();
        initial.put(workload.current(s).cluster(), workload.current(s).key());
      }
      for (int i = 0; i < workload.routes(); i++) {
        client.genericKubernetesResources("sluice.dev/v1alpha1", "ModelRoute").inNamespace(SliceWorkload.NAMESPACE)
            .resource(client.getKubernetesSerialization().unmarshal(SliceWorkload.route(i), GenericKubernetesResource.class))
            .create();
      }
      int warmUp = plan.perMinute() / 3; // twenty seconds at the same pace, not measured
      int changes = warmUp + plan.changes();
      SliceSightings seen = new SliceSightings(initial, changes);
      try (ServerProcess sluice = ServerProcess.start("sluice-k8s", plan.routes(), debounceMs, kube.kubeconfig().toString());
          Fleet fleet = new Fleet(sluice.xdsPort(), plan.transport().equals("delta")).observingEndpoints(seen::newProxy)) {
        fleet.growTo(plan.proxies());
        awaitEveryCluster(seen);
        Thread.sleep(1_000);
        long heapBefore = sluice.callLong("heap");
        long[] acceptedAt = new long[changes];
        long[] roundTrip = new long[changes];
        long interval = 60_000_000_000L / plan.perMinute();
        long sluiceCpu = 0;
        long kubeCpu = 0;
        long toolCpu = 0;
        long begin = System.nanoTime();
        long measuredFrom = 0;
        for (int k = 0; k < changes; k++) {
          LockSupport.parkNanos(begin + k * interval - System.nanoTime());
          if (k == warmUp) {
            measuredFrom = System.nanoTime();
            sluiceCpu = sluice.callLong("cpu");
            kubeCpu = KubeApi.cpuNanos();
            toolCpu = LoadServer.cpuNanos();
          }
          SliceWorkload.Change c = workload.next();
          seen.expect(c.cluster(), c.key(), k);
          long sent = System.nanoTime();
          EndpointSlice written = slices(client).resource(workload.object(c.slice(), resourceVersions[c.slice()])).update();
          acceptedAt[k] = System.nanoTime();
          roundTrip[k] = acceptedAt[k] - sent;
          resourceVersions[c.slice()] = written.getMetadata().getResourceVersion();
        }
        double seconds = (System.nanoTime() - measuredFrom) / 1e9;
        awaitAll(seen, TimeUnit.MINUTES.toNanos(2));
        double phaseSeconds = (System.nanoTime() - measuredFrom) / 1e9;
        double sluiceSeconds = (sluice.callLong("cpu") - sluiceCpu) / 1e9;
        double kubeSeconds = (KubeApi.cpuNanos() - kubeCpu) / 1e9;
        double toolSeconds = (LoadServer.cpuNanos() - toolCpu) / 1e9;
        long heapAfter = sluice.callLong("heap");
        Result r = new Result(plan, workload.sliceCount(), fleet.size(), changes - warmUp, seconds, phaseSeconds,
            Latencies.ofNanos(seen.latencies(acceptedAt, warmUp)), seen.missing(warmUp), seen.unmatched(),
            seen.regressions(), Latencies.ofNanos(Arrays.copyOfRange(roundTrip, warmUp, changes)),
            seen.progressingResponses(warmUp), sluiceSeconds, kubeSeconds, toolSeconds, heapBefore, heapAfter);
        System.err.println("  " + r);
        return r;
      }
    }
  }

  private static NonNamespaceOperation<EndpointSlice, EndpointSliceList, Resource<EndpointSlice>> slices(
      KubernetesClient client) {
    return client.discovery().v1().endpointSlices().inNamespace(SliceWorkload.NAMESPACE);
  }

  /** Until every proxy holds every cluster's first endpoints: only then do the updates start. */
  private static void awaitEveryCluster(SliceSightings seen) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (!seen.allHoldEveryCluster()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("some proxies never received every cluster's endpoints");
      }
      Thread.sleep(50);
    }
  }

  /** Until every (update, proxy) pair is reached, or {@code timeoutNanos} passed: the report counts what is missing. */
  private static void awaitAll(SliceSightings seen, long timeoutNanos) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutNanos;
    while (seen.reached() < seen.pairs() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  private SliceChurnRun() {}
}
