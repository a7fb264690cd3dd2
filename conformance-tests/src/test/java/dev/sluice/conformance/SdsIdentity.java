package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS material SDS delivers to one workload identity, exactly as a proxy receives it: the key
 * and certificate chain of secret {@code default} and the trust roots of secret {@code ROOTCA}; and
 * a JDK {@link SSLContext} built from nothing else.
 *
 * <p>{@link #toString()} names the identity only, never the key.
 */
final class SdsIdentity {
  private final PrivateKey key;
  private final List<X509Certificate> chain;
  private final List<X509Certificate> roots;

  private SdsIdentity(PrivateKey key, List<X509Certificate> chain, List<X509Certificate> roots) {
    this.key = key;
    this.chain = List.copyOf(chain);
    this.roots = List.copyOf(roots);
  }

  /**
   * Proves {@code namespace/serviceAccount} with a freshly minted bootstrap token and reads its
   * {@code default} and {@code ROOTCA} secrets over the secure ADS port, as node {@code nodeId}.
   */
  static SdsIdentity fetch(ControlPlane cp, String namespace, String serviceAccount, String nodeId) throws Exception {
    Bootstraps minted = Bootstraps.mint(cp, namespace, serviceAccount, nodeId, null);
    try (SdsClient client = SdsClient.secure(cp, minted.bearer())) {
      DiscoveryResponse r = client.open()
          .request(SdsClient.gatewayNode(nodeId), SdsClient.SECRET, List.of("default", "ROOTCA"))
          .next(Duration.ofSeconds(10));
      assertThat(r).as("SDS response for %s/%s", namespace, serviceAccount).isNotNull();
      return of(SdsClient.secrets(r));
    }
  }

  /** From the {@code default} and {@code ROOTCA} secrets of one SDS response. */
  static SdsIdentity of(List<Secret> secrets) throws Exception {
    Secret cert = null;
    Secret roots = null;
    for (Secret s : secrets) {
      if (s.getName().equals("default")) {
        cert = s;
      } else if (s.getName().equals("ROOTCA")) {
        roots = s;
      }
    }
    assertThat(cert).as("secret default").isNotNull();
    assertThat(roots).as("secret ROOTCA").isNotNull();
    return new SdsIdentity(
        privateKey(cert.getTlsCertificate().getPrivateKey().getInlineBytes().toStringUtf8()),
        certificates(cert.getTlsCertificate().getCertificateChain().getInlineBytes().toStringUtf8()),
        certificates(roots.getValidationContext().getTrustedCa().getInlineBytes().toStringUtf8()));
  }

  /** The SPIFFE ID (URI SAN) of this identity's certificate. */
  String spiffeId() {
    return spiffeId(chain.get(0));
  }

  /**
   * A TLS context that presents this identity and accepts a peer whose chain verifies to this
   * identity's roots and, when {@code peerSpiffeId} is not null, whose only URI SAN is that ID (as
   * Envoy's {@code match_typed_subject_alt_names} checks it). Works for both ends of a connection.
   */
  SSLContext sslContext(String peerSpiffeId) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("self", key, new char[0], chain.toArray(Certificate[]::new));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, new char[0]);
    X509TrustManager pkix = rootsTrustManager();
    return context(kmf.getKeyManagers(), peerSpiffeId == null ? pkix : new SanCheck(pkix, peerSpiffeId));
  }

  /** A client context that trusts this identity's roots but presents no certificate. */
  SSLContext sslContextWithoutCertificate() throws Exception {
    return context(null, rootsTrustManager());
  }

  private X509TrustManager rootsTrustManager() throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    for (int i = 0; i < roots.size(); i++) {
      trust.setCertificateEntry("root-" + i, roots.get(i));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    return (X509TrustManager) tmf.getTrustManagers()[0];
  }

  private static SSLContext context(KeyManager[] keyManagers, X509TrustManager trustManager) throws Exception {
    // "TLS" enables TLS 1.3 and 1.2, whichever the peer (Envoy, a JDK client) offers.
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keyManagers, new X509TrustManager[] {trustManager}, null);
    return tls;
  }

  /** The first URI SAN of a certificate (its SPIFFE ID), or null when it has none. */
  static String spiffeId(X509Certificate cert) {
    try {
      var sans = cert.getSubjectAlternativeNames();
      return sans == null ? null : sans.stream().filter(san -> (Integer) san.get(0) == 6)
          .map(san -> (String) san.get(1)).findFirst().orElse(null);
    } catch (CertificateException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "SdsIdentity[" + spiffeId() + "]";
  }

  /** The chain must verify to the roots, and the peer's URI SAN must be the expected ID. */
  private record SanCheck(X509TrustManager pkix, String expected) implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      pkix.checkClientTrusted(chain, authType);
      check(chain[0]);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      pkix.checkServerTrusted(chain, authType);
      check(chain[0]);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return pkix.getAcceptedIssuers();
    }

    private void check(X509Certificate leaf) throws CertificateException {
      String actual = spiffeId(leaf);
      if (!expected.equals(actual)) {
        throw new CertificateException("peer is " + actual + ", expected " + expected);
      }
    }
  }

  private static PrivateKey privateKey(String pem) throws Exception {
    String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
  }

  @SuppressWarnings("unchecked")
  private static List<X509Certificate> certificates(String pem) throws Exception {
    return (List<X509Certificate>) (List<?>) List.copyOf(CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
  }
}
