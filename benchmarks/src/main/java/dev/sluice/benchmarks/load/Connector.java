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
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLException;

/** How a simulated proxy reaches its server: one channel (one connection) per proxy, as Envoy has. */
@FunctionalInterface
interface Connector {
  int MAX_MESSAGE = 64 << 20;

  ManagedChannel open(String nodeId);

  /** Makes ready what these nodes will need to connect (their tokens), so that connecting them times only the connecting. */
  default void prepare(List<String> nodeIds) {}

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
    return new Tls(securePort, trustBundlePem, tokens);
  }

  /** {@link #tls} from the server's answer to {@code secure}: "port base64-of-the-PEM". */
  static Connector tls(String secure, UnaryOperator<String> tokens) {
    String[] f = secure.split(" ");
    return tls(Integer.parseInt(f[0]), new String(Base64.getDecoder().decode(f[1]), StandardCharsets.US_ASCII), tokens);
  }

  /** One per server: a node that connects again (the reconnect storm, the soak) reuses its token. Not thread-safe. */
  final class Tls implements Connector {
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private final int securePort;
    private final SslContext ssl;
    private final UnaryOperator<String> tokens;
    private final Map<String, String> minted = new HashMap<>();

    private Tls(int securePort, String trustBundlePem, UnaryOperator<String> tokens) {
      this.securePort = securePort;
      this.tokens = tokens;
      try {
        this.ssl = GrpcSslContexts.forClient()
            .trustManager(new ByteArrayInputStream(trustBundlePem.getBytes(StandardCharsets.US_ASCII))).build();
      } catch (SSLException e) {
        throw new IllegalStateException("the trust bundle cannot be read", e);
      }
    }

    @Override
    public void prepare(List<String> nodeIds) {
      nodeIds.forEach(id -> minted.computeIfAbsent(id, tokens));
    }

    @Override
    public ManagedChannel open(String nodeId) {
      Metadata headers = new Metadata();
      headers.put(AUTHORIZATION, "Bearer " + minted.computeIfAbsent(nodeId, tokens));
      return NettyChannelBuilder.forAddress(new InetSocketAddress("127.0.0.1", securePort)).overrideAuthority("localhost")
          .sslContext(ssl).intercept(MetadataUtils.newAttachHeadersInterceptor(headers)).directExecutor()
          .maxInboundMessageSize(MAX_MESSAGE).build();
    }
  }
}
