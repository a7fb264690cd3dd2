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
 * @param timeout the whole request's deadline, in Go duration form ({@code 2s})
 * @param retries how failed requests are retried
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"hosts", "port", "protocol", "versions", "timeout", "retries"})
public record ModelRouteSpec(
    List<String> hosts,
    Integer port,
    Protocol protocol,
    List<ModelVersion> versions,
    String timeout,
    RetryPolicy retries) {

  public ModelRouteSpec {
    hosts = Lists.copyOrNull(hosts);
    versions = Lists.copyOrNull(versions);
  }

  /** The protocol, HTTP when the document leaves it out. */
  public Protocol effectiveProtocol() {
    return protocol == null ? Protocol.HTTP : protocol;
  }

  public ModelRouteSpec withVersions(List<ModelVersion> newVersions) {
    return new ModelRouteSpec(hosts, port, protocol, newVersions, timeout, retries);
  }
}
