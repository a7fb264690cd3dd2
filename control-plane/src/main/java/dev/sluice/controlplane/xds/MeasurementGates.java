package dev.sluice.controlplane.xds;

import dev.sluice.controlplane.identity.ProvenProxy;
import dev.sluice.controlplane.measure.ReporterGate;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.Status;

/**
 * Who may report measurements, per port. A rollout promotes or rolls back on these numbers, so a
 * report that anyone could forge could force a false rollback (or hide a bad canary).
 *
 * <ul>
 *   <li><b>Plaintext port</b>: anyone, as anyone may take routing there; it serves labs and
 *       gateways without TLS. {@code sluice.measure.plaintext-reports=false} takes the measurement
 *       services off that port.
 *   <li><b>TLS port, load reports (LRS)</b>: the same proof as ADS. The call goes through the same
 *       gatekeeper ({@link AuthenticatedStreams}: {@code authorization: Bearer} required, rechecked
 *       every {@code sluice.tokens.recheck-interval}, the call ended on revocation or expiry), and
 *       the node its first message names must be one the credential may act as, by the rules ADS
 *       applies ({@link StreamRegistry#refusal}: pinned node id, namespace, service account, role).
 *       Every proxy can present it: Envoy's {@code load_stats_config} carries the same
 *       {@code grpc_services} credential as its {@code ads_config} (translators' {@code EnvoyBootstrap}),
 *       and a proxyless client's {@code lrs_server: self} reuses its xDS channel and credentials.
 *   <li><b>TLS port, access logs (ALS)</b>: Envoy's access logger is configured by the listener
 *       (LDS), which a whole group of proxies shares, so it cannot carry a per-proxy credential, and
 *       a credential never belongs in routing configuration. A call that carries a credential
 *       anyway is checked as ADS is. A call without one is admitted only while its node has an
 *       authenticated ADS stream open on this control plane <em>from the same host</em> (the
 *       peer's IP address), checked at its first message and every 10 s after. Forging logs then
 *       takes sending from the address of a proxy that is connected and proved its identity, which
 *       the node id alone (easy to guess) does not give. Limits, accepted: where several proxies
 *       reach the control plane through one address (SNAT), one of them could log as another; and
 *       where a proxy's ADS and log streams land on different control plane replicas, its logs are
 *       refused there (Envoy retries; its load reports still count).
 * </ul>
 */
final class MeasurementGates {
  private MeasurementGates() {}

  /** The plaintext port: anyone. */
  static ReporterGate anyone() {
    return ReporterGate.ANYONE;
  }

  /** The TLS port's load reports: the call was authenticated; its node must be one the proof covers. */
  static ReporterGate proven() {
    return node -> {
      ProvenProxy proven = AuthenticatedStreams.current();
      return proven == null
          ? Status.UNAUTHENTICATED.withDescription("no credential: send 'authorization: Bearer <token>' as gRPC metadata")
          : covers(proven, node);
    };
  }

  /**
   * The TLS port's access logs: an authenticated call as {@link #proven}; one without a credential
   * when its node has an authenticated ADS stream from the same host.
   */
  static ReporterGate provenOrVouched(StreamRegistry streams) {
    return node -> {
      ProvenProxy proven = AuthenticatedStreams.current();
      if (proven != null) {
        return covers(proven, node);
      }
      String host = StreamRegistry.peerHost(EndableCall.PEER.get());
      if (streams.provenFrom(node.getId(), host)) {
        return null;
      }
      return Status.UNAUTHENTICATED.withDescription("node " + node.getId() + " has no authenticated xDS stream from "
          + (host == null ? "this host" : host) + "; access logs on the TLS port come from a proxy that proved its "
          + "identity on ADS, from the same address");
    };
  }

  private static Status covers(ProvenProxy proven, Node node) {
    ProxyGroups.Resolution r = ProxyGroups.resolve(node);
    if (r.error() != null) {
      return Status.INVALID_ARGUMENT.withDescription(r.error());
    }
    String refusal = StreamRegistry.refusal(proven, node, r.group());
    return refusal == null ? null : Status.PERMISSION_DENIED.withDescription(refusal);
  }
}
