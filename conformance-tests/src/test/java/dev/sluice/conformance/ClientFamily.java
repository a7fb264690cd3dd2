package dev.sluice.conformance;

/**
 * The proxyless client families the conformance tests run: Google's gRPC in three languages, each
 * with its own xDS client implementation.
 */
enum ClientFamily {
  GRPC_JAVA("java"),
  GRPC_GO("go"),
  GRPC_CORE("core");

  /** Short and DNS-safe: tests put it in node ids, hosts and route names so families never share one. */
  final String id;

  ClientFamily(String id) {
    this.id = id;
  }

  /** The name and version the conformance report uses, known without starting anything. */
  String label() {
    return switch (this) {
      case GRPC_JAVA -> ProxylessClient.FAMILY;
      case GRPC_GO -> ExternalXdsClient.goFamily();
      case GRPC_CORE -> ExternalXdsClient.coreFamily();
    };
  }

  /**
   * A client of this family as {@code nodeId}, dialing {@code xds:///<host>}. A peer that is not
   * installed skips the test on a developer's machine and fails it on CI ({@link Peers#missing}).
   */
  XdsClient open(ControlPlane cp, String nodeId, String host) {
    return open(nodeId, host, ControlPlane.JSON.writeValueAsString(cp.grpcBootstrap(nodeId)));
  }

  /** A client of this family on a bootstrap given as JSON text, whose node id is {@code nodeId}. */
  @SuppressWarnings("unchecked")
  XdsClient open(String nodeId, String host, String bootstrapJson) {
    return switch (this) {
      case GRPC_JAVA -> new ProxylessClient(ControlPlane.JSON.readValue(bootstrapJson, java.util.Map.class), host);
      case GRPC_GO -> ExternalXdsClient.grpcGo(bootstrapJson, nodeId, host);
      case GRPC_CORE -> ExternalXdsClient.grpcCore(bootstrapJson, nodeId, host);
    };
  }

  @Override
  public String toString() {
    return label();
  }
}
