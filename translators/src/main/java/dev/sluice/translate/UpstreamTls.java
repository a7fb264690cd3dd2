package dev.sluice.translate;

import com.google.protobuf.Any;
import dev.sluice.model.Metadata;
import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelVersion;
import dev.sluice.model.Protocol;
import dev.sluice.model.TlsMode;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.Optional;

/**
 * Mutual TLS from an Envoy to the servers of a version: the cluster's transport socket.
 *
 * <p>Semantics of {@code spec.tls.mode} on the client side: MUTUAL and PERMISSIVE both make Envoy
 * originate mTLS, presenting its own certificate (SDS secret {@code default}) and accepting only a
 * server whose certificate chains to the mesh root (SDS secret {@code ROOTCA}) and carries the
 * version's SPIFFE ID, {@code spiffe://<trust-domain>/ns/<route namespace>/sa/<service account>}.
 * Servers accept mTLS in both modes; the difference, PERMISSIVE servers also accepting plaintext,
 * lives on the sidecar's inbound listener, not here. DISABLED, or no {@code tls}, leaves the
 * cluster plaintext and its output unchanged.
 *
 * <p>Only Envoy roles ({@link ProxyRole#isEnvoy()}) get the socket. Proxyless gRPC clients take
 * certificates through gRPC's certificate provider plugins, not SDS, so their clusters stay
 * plaintext and byte-identical to a route without {@code tls}.
 */
final class UpstreamTls {
  static final String TRANSPORT_SOCKET = "envoy.transport_sockets.tls";
  /** ALPN for HTTP/2 upstreams (GRPC routes); HTTP routes speak HTTP/1.1 and offer no ALPN. */
  static final String ALPN_H2 = "h2";

  private UpstreamTls() {}

  /** True when clusters of {@code route} sent to {@code role} originate mTLS. */
  static boolean originatesMtls(ModelRoute route, ProxyRole role) {
    return role.isEnvoy() && route.spec().effectiveTlsMode() != TlsMode.DISABLED;
  }

  /** The transport socket of a version's cluster, when the route and role call for mTLS. */
  static Optional<TransportSocket> socket(ModelRoute route, ModelVersion version, ProxyRole role, String trustDomain) {
    if (!originatesMtls(route, role)) {
      return Optional.empty();
    }
    String namespace = route.metadata().namespace() == null ? Metadata.DEFAULT_NAMESPACE : route.metadata().namespace();
    String serverId = SpiffeIds.of(trustDomain, namespace, version.effectiveServiceAccount(route.metadata().name()));
    CommonTlsContext.Builder common =
        CommonTlsContext.newBuilder()
            .addTlsCertificateSdsSecretConfigs(sds(Names.DEFAULT_SECRET))
            .setCombinedValidationContext(
                CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
                    .setDefaultValidationContext(
                        CertificateValidationContext.newBuilder()
                            .addMatchTypedSubjectAltNames(
                                SubjectAltNameMatcher.newBuilder()
                                    .setSanType(SubjectAltNameMatcher.SanType.URI)
                                    .setMatcher(StringMatcher.newBuilder().setExact(serverId))))
                    .setValidationContextSdsSecretConfig(sds(Names.ROOT_CA_SECRET)));
    if (route.spec().effectiveProtocol() == Protocol.GRPC) {
      // Consistent with the cluster's explicit HTTP/2 protocol options (ClusterTranslator).
      common.addAlpnProtocols(ALPN_H2);
    }
    UpstreamTlsContext context = UpstreamTlsContext.newBuilder().setCommonTlsContext(common).build();
    return Optional.of(TransportSocket.newBuilder().setName(TRANSPORT_SOCKET).setTypedConfig(Any.pack(context)).build());
  }

  private static SdsSecretConfig sds(String name) {
    return SdsSecretConfig.newBuilder().setName(name).setSdsConfig(ConfigSources.ads()).build();
  }
}
