package dev.sluice.translate;

import com.google.protobuf.ByteString;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import java.nio.charset.StandardCharsets;

/**
 * The two SDS secrets a proxy receives for its own identity, under Istio's names ({@link Names}):
 * {@code default} (its certificate chain and key) and {@code ROOTCA} (the roots it trusts).
 */
public final class Secrets {
  private Secrets() {}

  /** {@code default}: a PEM chain (leaf first) and its PEM private key. */
  public static Secret certificate(String chainPem, String privateKeyPem) {
    return Secret.newBuilder()
        .setName(Names.DEFAULT_SECRET)
        .setTlsCertificate(TlsCertificate.newBuilder()
            .setCertificateChain(DataSource.newBuilder().setInlineBytes(utf8(chainPem)))
            .setPrivateKey(DataSource.newBuilder().setInlineBytes(utf8(privateKeyPem))))
        .build();
  }

  /** {@code ROOTCA}: the PEM roots. */
  public static Secret trust(String rootsPem) {
    return Secret.newBuilder()
        .setName(Names.ROOT_CA_SECRET)
        .setValidationContext(CertificateValidationContext.newBuilder()
            .setTrustedCa(DataSource.newBuilder().setInlineBytes(utf8(rootsPem))))
        .build();
  }

  private static ByteString utf8(String s) {
    return ByteString.copyFrom(s, StandardCharsets.UTF_8);
  }
}
