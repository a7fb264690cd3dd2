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
    return switch (this) {
      case GRPC_JAVA -> new ProxylessClient(cp.grpcBootstrap(nodeId), host);
      case GRPC_GO -> ExternalXdsClient.grpcGo(cp, nodeId, host);
      case GRPC_CORE -> ExternalXdsClient.grpcCore(cp, nodeId, host);
    };
  }

  @Override
  public String toString() {
    return label();
  }
}
