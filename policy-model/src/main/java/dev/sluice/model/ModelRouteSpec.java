package dev.sluice.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * What the owner of a model asks for.
 *
 * @param hosts the names clients call
 * @param port the port clients call
 * @param protocol {@code HTTP} or {@code GRPC} (HTTP/2 upstreams); HTTP when omitted
 * @param versions one entry per version of the model; each becomes one Envoy cluster
 * @param rules A/B and feature-flag routing, tried in order before the weighted split
 * @param sticky keeps the weighted choice stable per user
 * @param mirror shadow traffic to a version; its responses are discarded
 * @param timeout the whole request's deadline, in Go duration form ({@code 2s})
 * @param retries how failed requests are retried
 * @param circuitBreaker limits on connections and requests to each version
 * @param outlierDetection when a failing server of a version is ejected
 * @param fault injected delays and aborts, to rehearse failures
 * @param tls transport security to the versions' servers; plaintext ({@link TlsMode#DISABLED}) when
 *     omitted
 * @param tracing the share of this route's requests Envoy traces, instead of the global sampling
 * @param service Kubernetes mode: the Service whose EndpointSlices hold the pods of every version
 *     that names a {@code selector} but no service of its own
 * @param rollout an automated canary of one version, promoted or rolled back on the data plane's numbers
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"hosts", "port", "protocol", "service", "versions", "rules", "sticky", "mirror", "timeout", "retries",
    "circuitBreaker", "outlierDetection", "fault", "tls", "tracing", "rollout"})
public record ModelRouteSpec(
    @Required List<String> hosts,
    @Required Integer port,
    Protocol protocol,
    @Required List<ModelVersion> versions,
    List<TrafficRule> rules,
    Sticky sticky,
    Mirror mirror,
    String timeout,
    RetryPolicy retries,
    CircuitBreaker circuitBreaker,
    OutlierDetection outlierDetection,
    Fault fault,
    Tls tls,
    Tracing tracing,
    String service,
    Rollout rollout) {

  public ModelRouteSpec {
    hosts = Lists.copyOrNull(hosts);
    versions = Lists.copyOrNull(versions);
    rules = Lists.copyOrNull(rules);
  }

  /** A spec with weights, timeout and retries only: the walking skeleton's shape. */
  public ModelRouteSpec(
      List<String> hosts, Integer port, Protocol protocol, List<ModelVersion> versions, String timeout,
      RetryPolicy retries) {
    this(hosts, port, protocol, versions, null, null, null, timeout, retries, null, null, null, null, null);
  }

  /** A spec without tls: every policy the model had before mTLS. */
  public ModelRouteSpec(
      List<String> hosts, Integer port, Protocol protocol, List<ModelVersion> versions, List<TrafficRule> rules,
      Sticky sticky, Mirror mirror, String timeout, RetryPolicy retries, CircuitBreaker circuitBreaker,
      OutlierDetection outlierDetection, Fault fault) {
    this(hosts, port, protocol, versions, rules, sticky, mirror, timeout, retries, circuitBreaker, outlierDetection,
        fault, null);
  }

  /** A spec without tracing: every policy the model had before observability. */
  public ModelRouteSpec(
      List<String> hosts, Integer port, Protocol protocol, List<ModelVersion> versions, List<TrafficRule> rules,
      Sticky sticky, Mirror mirror, String timeout, RetryPolicy retries, CircuitBreaker circuitBreaker,
      OutlierDetection outlierDetection, Fault fault, Tls tls) {
    this(hosts, port, protocol, versions, rules, sticky, mirror, timeout, retries, circuitBreaker, outlierDetection,
        fault, tls, null);
  }

  /** A spec whose versions list their endpoints: every policy the model had before Kubernetes mode. */
  public ModelRouteSpec(
      List<String> hosts, Integer port, Protocol protocol, List<ModelVersion> versions, List<TrafficRule> rules,
      Sticky sticky, Mirror mirror, String timeout, RetryPolicy retries, CircuitBreaker circuitBreaker,
      OutlierDetection outlierDetection, Fault fault, Tls tls, Tracing tracing) {
    this(hosts, port, protocol, versions, rules, sticky, mirror, timeout, retries, circuitBreaker, outlierDetection,
        fault, tls, tracing, null, null);
  }

  /** A spec without a rollout: every policy the model had before automated canaries. */
  public ModelRouteSpec(
      List<String> hosts, Integer port, Protocol protocol, List<ModelVersion> versions, List<TrafficRule> rules,
      Sticky sticky, Mirror mirror, String timeout, RetryPolicy retries, CircuitBreaker circuitBreaker,
      OutlierDetection outlierDetection, Fault fault, Tls tls, Tracing tracing, String service) {
    this(hosts, port, protocol, versions, rules, sticky, mirror, timeout, retries, circuitBreaker, outlierDetection,
        fault, tls, tracing, service, null);
  }

  /** The protocol, HTTP when the document leaves it out. */
  public Protocol effectiveProtocol() {
    return protocol == null ? Protocol.HTTP : protocol;
  }

  /** The rules, empty when the document has none. */
  public List<TrafficRule> effectiveRules() {
    return rules == null ? List.of() : rules;
  }

  /** The TLS mode, DISABLED (plaintext) when the document has no {@code tls} or no mode in it. */
  public TlsMode effectiveTlsMode() {
    return tls == null || tls.mode() == null ? TlsMode.DISABLED : tls.mode();
  }

  public ModelRouteSpec withVersions(List<ModelVersion> newVersions) {
    return new ModelRouteSpec(hosts, port, protocol, newVersions, rules, sticky, mirror, timeout, retries,
        circuitBreaker, outlierDetection, fault, tls, tracing, service, rollout);
  }

  public ModelRouteSpec withTls(Tls newTls) {
    return new ModelRouteSpec(hosts, port, protocol, versions, rules, sticky, mirror, timeout, retries,
        circuitBreaker, outlierDetection, fault, newTls, tracing, service, rollout);
  }

  public ModelRouteSpec withTracing(Tracing newTracing) {
    return new ModelRouteSpec(hosts, port, protocol, versions, rules, sticky, mirror, timeout, retries,
        circuitBreaker, outlierDetection, fault, tls, newTracing, service, rollout);
  }

  public ModelRouteSpec withRollout(Rollout newRollout) {
    return new ModelRouteSpec(hosts, port, protocol, versions, rules, sticky, mirror, timeout, retries,
        circuitBreaker, outlierDetection, fault, tls, tracing, service, newRollout);
  }
}
