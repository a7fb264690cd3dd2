package dev.sluice.translate;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import dev.sluice.model.Metadata;
import dev.sluice.model.ModelRoute;
import dev.sluice.model.ModelVersion;
import dev.sluice.model.TlsMode;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.List;

/**
 * How a sidecar accepts connections to its app: the server side of {@code spec.tls}.
 *
 * <p>A pod serves the versions whose identity it holds: routes in its namespace with a version
 * whose service account is the pod's. MUTUAL refuses plaintext, PERMISSIVE takes mutual TLS and
 * plaintext, DISABLED takes plaintext only. When several routes name the pod, the strictest mode
 * wins (MUTUAL over PERMISSIVE over DISABLED), so a route asking for MUTUAL is never weakened by
 * another; when none does, PERMISSIVE, so callers with and without a sidecar both get through
 * until a route says otherwise.
 *
 * <p>Under mutual TLS the sidecar presents its own SVID (SDS secret {@code default}) and accepts
 * any client certificate chaining to the mesh roots ({@code ROOTCA}) with a SPIFFE ID in the
 * trust domain; the app learns the caller's identity from {@code x-forwarded-client-cert}.
 */
final class InboundTls {
  /** The mode when no route names the pod. */
  static final TlsMode DEFAULT_MODE = TlsMode.PERMISSIVE;

  private InboundTls() {}

  /** The inbound mode of a pod with {@code scope}, from the routes that passed translation. */
  static TlsMode mode(SidecarScope scope, List<ModelRoute> routes) {
    TlsMode mode = null;
    for (ModelRoute route : routes) {
      if (serves(scope, route)) {
        TlsMode m = route.spec().effectiveTlsMode();
        mode = mode == null || strictness(m) > strictness(mode) ? m : mode;
      }
    }
    return mode == null ? DEFAULT_MODE : mode;
  }

  /** True when a pod with {@code scope} holds the identity of one of the route's versions. */
  static boolean serves(SidecarScope scope, ModelRoute route) {
    String namespace = route.metadata().namespace() == null ? Metadata.DEFAULT_NAMESPACE : route.metadata().namespace();
    if (!namespace.equals(scope.namespace())) {
      return false;
    }
    for (ModelVersion version : route.spec().versions()) {
      if (version.effectiveServiceAccount(route.metadata().name()).equals(scope.serviceAccount())) {
        return true;
      }
    }
    return false;
  }

  private static int strictness(TlsMode mode) {
    return switch (mode) {
      case MUTUAL -> 2;
      case PERMISSIVE -> 1;
      case DISABLED -> 0;
    };
  }

  /** The server side of mutual TLS: the pod's SVID, client certificates required and checked. */
  static TransportSocket socket(String trustDomain) {
    CommonTlsContext common = CommonTlsContext.newBuilder()
        .addTlsCertificateSdsSecretConfigs(sds(Names.DEFAULT_SECRET))
        .setCombinedValidationContext(CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
            .setDefaultValidationContext(CertificateValidationContext.newBuilder()
                .addMatchTypedSubjectAltNames(SubjectAltNameMatcher.newBuilder()
                    .setSanType(SubjectAltNameMatcher.SanType.URI)
                    .setMatcher(StringMatcher.newBuilder().setPrefix(SpiffeIds.PREFIX + trustDomain + "/"))))
            .setValidationContextSdsSecretConfig(sds(Names.ROOT_CA_SECRET)))
        // Callers' Envoys speak HTTP/2 to GRPC routes' servers and HTTP/1.1 to the others.
        .addAlpnProtocols(UpstreamTls.ALPN_H2)
        .addAlpnProtocols("http/1.1")
        .build();
    DownstreamTlsContext context = DownstreamTlsContext.newBuilder()
        .setCommonTlsContext(common)
        .setRequireClientCertificate(BoolValue.of(true))
        .build();
    return TransportSocket.newBuilder().setName(UpstreamTls.TRANSPORT_SOCKET).setTypedConfig(Any.pack(context)).build();
  }

  private static SdsSecretConfig sds(String name) {
    return SdsSecretConfig.newBuilder().setName(name).setSdsConfig(ConfigSources.ads()).build();
  }
}
