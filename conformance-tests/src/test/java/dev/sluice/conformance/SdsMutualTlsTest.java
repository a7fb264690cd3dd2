package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two endpoints configured from nothing but the secrets SDS delivered to their identities complete
 * a mutually authenticated TLS handshake, each checking the other's SPIFFE ID as Envoy's
 * {@code match_typed_subject_alt_names} does; a server holding another identity is refused.
 */
class SdsMutualTlsTest {
  static final String GATEWAY = "spiffe://cluster.local/ns/ml/sa/gateway";
  static final String SCORER = "spiffe://cluster.local/ns/ml/sa/fraud-scorer";

  @TempDir static Path store;
  static ControlPlane cp;

  @BeforeAll
  static void start() {
    cp = ControlPlane.start(store);
  }

  @AfterAll
  static void stop() {
    cp.close();
  }

  /** The TLS material one identity holds, from its {@code default} and {@code ROOTCA} secrets. */
  record Identity(PrivateKey key, List<X509Certificate> chain, List<X509Certificate> roots) {}

  @Test
  void endpointsConfiguredOnlyFromSdsSecrets_authenticateEachOther() throws Exception {
    Identity gateway = identity("gateway", "tls-gateway");
    Identity scorer = identity("fraud-scorer", "tls-scorer");
    String reply = handshake(scorer, GATEWAY, gateway, SCORER);
    assertThat(reply).isEqualTo("hello " + GATEWAY);
  }

  @Test
  void aServerWithAnotherIdentity_isRefusedByTheClient() throws Exception {
    Identity gateway = identity("gateway", "tls-gateway-2");
    Identity impostor = identity("impostor", "tls-impostor");
    // The impostor's certificate chains to the same root, but names another service account.
    assertThatThrownBy(() -> handshake(impostor, GATEWAY, gateway, SCORER))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void aClientWithAnotherIdentity_isRefusedByTheServer() throws Exception {
    Identity scorer = identity("fraud-scorer", "tls-scorer-2");
    Identity impostor = identity("impostor", "tls-impostor-2");
    assertThatThrownBy(() -> handshake(scorer, GATEWAY, impostor, SCORER)).isInstanceOf(Exception.class);
  }

  /** A TLS server holding {@code server} that accepts only {@code clientId}; a client holding {@code client} that accepts only {@code serverId}. */
  private static String handshake(Identity server, String clientId, Identity client, String serverId) throws Exception {
    SSLContext serverTls = context(server, clientId);
    SSLContext clientTls = context(client, serverId);
    try (SSLServerSocket listener = (SSLServerSocket) serverTls.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      listener.setNeedClientAuth(true);
      CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
        try (SSLSocket s = (SSLSocket) listener.accept()) {
          s.setSoTimeout(10_000);
          s.startHandshake();
          X509Certificate peer = (X509Certificate) s.getSession().getPeerCertificates()[0];
          OutputStream out = s.getOutputStream();
          out.write(("hello " + spiffeId(peer) + "\n").getBytes(StandardCharsets.UTF_8));
          out.flush();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      String line;
      try (SSLSocket s = (SSLSocket) clientTls.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
        s.setSoTimeout(10_000);
        s.startHandshake();
        InputStream in = s.getInputStream();
        line = new String(in.readNBytes(("hello " + clientId + "\n").length()), StandardCharsets.UTF_8).trim();
      }
      // The client's socket is closed first: closing a TLS 1.3 socket waits for the peer's close_notify.
      served.get(10, TimeUnit.SECONDS);
      return line;
    }
  }

  private static SSLContext context(Identity id, String peerSpiffeId) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("self", id.key(), new char[0], id.chain().toArray(Certificate[]::new));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, new char[0]);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    for (int i = 0; i < id.roots().size(); i++) {
      trust.setCertificateEntry("root-" + i, id.roots().get(i));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    X509TrustManager pkix = (X509TrustManager) tmf.getTrustManagers()[0];
    SSLContext tls = SSLContext.getInstance("TLSv1.3");
    tls.init(kmf.getKeyManagers(), new X509TrustManager[] {new SanCheck(pkix, peerSpiffeId)}, null);
    return tls;
  }

  /** The chain must verify to the roots, and the peer's only URI SAN must be the expected ID. */
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

  private static String spiffeId(X509Certificate cert) {
    try {
      return cert.getSubjectAlternativeNames().stream().filter(san -> (Integer) san.get(0) == 6)
          .map(san -> (String) san.get(1)).findFirst().orElse(null);
    } catch (CertificateException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Identity identity(String serviceAccount, String nodeId) throws Exception {
    Bootstraps minted = Bootstraps.mint(cp, "ml", serviceAccount, nodeId, null);
    try (SdsClient client = SdsClient.secure(cp, minted.bearer())) {
      DiscoveryResponse r = client.open().request(SdsClient.gatewayNode(nodeId), SdsClient.SECRET, List.of("default", "ROOTCA"))
          .next(Duration.ofSeconds(10));
      assertThat(r).isNotNull();
      Secret cert = null;
      Secret roots = null;
      for (Secret s : SdsClient.secrets(r)) {
        if (s.getName().equals("default")) {
          cert = s;
        } else if (s.getName().equals("ROOTCA")) {
          roots = s;
        }
      }
      assertThat(cert).isNotNull();
      assertThat(roots).isNotNull();
      return new Identity(
          privateKey(cert.getTlsCertificate().getPrivateKey().getInlineBytes().toStringUtf8()),
          certificates(cert.getTlsCertificate().getCertificateChain().getInlineBytes().toStringUtf8()),
          certificates(roots.getValidationContext().getTrustedCa().getInlineBytes().toStringUtf8()));
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
