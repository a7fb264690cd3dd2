package dev.sluice.benchmarks.load;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLException;

/** How a simulated proxy reaches its server: one channel (one connection) per proxy, as Envoy has. */
@FunctionalInterface
interface Connector {
  int MAX_MESSAGE = 64 << 20;

  ManagedChannel open(String nodeId);

  /** The server's plaintext xDS port. */
  static Connector plaintext(int port) {
    return nodeId -> NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().directExecutor()
        .maxInboundMessageSize(MAX_MESSAGE).build();
  }

  /**
   * Sluice's TLS port, as a bootstrapped Envoy reaches it: the server's certificate checked against
   * Sluice's trust bundle (for the name {@code localhost}, which its serving certificate carries), and
   * the proxy's own bootstrap token, pinned to its node id, in every call's {@code authorization}
   * header. {@code tokens} mints a token for a node id; a node that connects again reuses its token.
   */
  static Connector tls(int securePort, String trustBundlePem, UnaryOperator<String> tokens) {
    SslContext ssl;
    try {
      ssl = GrpcSslContexts.forClient()
          .trustManager(new ByteArrayInputStream(trustBundlePem.getBytes(StandardCharsets.US_ASCII))).build();
    } catch (SSLException e) {
      throw new IllegalStateException("the trust bundle cannot be read", e);
    }
    Map<String, String> minted = new HashMap<>();
    Metadata.Key<String> authorization = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    return nodeId -> {
      Metadata headers = new Metadata();
      headers.put(authorization, "Bearer " + minted.computeIfAbsent(nodeId, tokens));
      return NettyChannelBuilder.forAddress(new InetSocketAddress("127.0.0.1", securePort)).overrideAuthority("localhost")
          .sslContext(ssl).intercept(MetadataUtils.newAttachHeadersInterceptor(headers)).directExecutor()
          .maxInboundMessageSize(MAX_MESSAGE).build();
    };
  }
}
