package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two endpoints configured from nothing but the secrets SDS delivered to their identities complete
 * a mutually authenticated TLS handshake, each checking the other's SPIFFE ID as Envoy's
 * {@code match_typed_subject_alt_names} does; a server holding another identity is refused. The
 * {@link TlsBackend} fixture, which the Envoy mTLS suite puts behind a real Envoy, is checked here
 * with a JDK client, so that it is known good where no Docker engine runs that suite.
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

  @Test
  void endpointsConfiguredOnlyFromSdsSecrets_authenticateEachOther() throws Exception {
    SdsIdentity gateway = identity("gateway", "tls-gateway");
    SdsIdentity scorer = identity("fraud-scorer", "tls-scorer");
    String reply = handshake(scorer, GATEWAY, gateway, SCORER);
    assertThat(reply).isEqualTo("hello " + GATEWAY);
  }

  @Test
  void aServerWithAnotherIdentity_isRefusedByTheClient() throws Exception {
    SdsIdentity gateway = identity("gateway", "tls-gateway-2");
    SdsIdentity impostor = identity("impostor", "tls-impostor");
    // The impostor's certificate chains to the same root, but names another service account.
    assertThatThrownBy(() -> handshake(impostor, GATEWAY, gateway, SCORER))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void aClientWithAnotherIdentity_isRefusedByTheServer() throws Exception {
    SdsIdentity scorer = identity("fraud-scorer", "tls-scorer-2");
    SdsIdentity impostor = identity("impostor", "tls-impostor-2");
    assertThatThrownBy(() -> handshake(scorer, GATEWAY, impostor, SCORER)).isInstanceOf(Exception.class);
  }

  @Test
  void tlsBackend_servesAMeshClientOverMutualTls_andRecordsItsId() throws Exception {
    SdsIdentity gateway = identity("gateway", "tls-gateway-3");
    try (TlsBackend scorer = TlsBackend.start(cp, "ml", "fraud-scorer", "tls-backend-scorer")) {
      assertThat(scorer.spiffeId()).isEqualTo(SCORER);
      String response = httpsGet(gateway.sslContext(SCORER), scorer.port());
      assertThat(response).startsWith("HTTP/1.1 200").endsWith("\r\n\r\n" + SCORER);
      assertThat(scorer.clientIds()).containsExactly(GATEWAY);
    }
  }

  @Test
  void tlsBackend_refusesAClientWithoutACertificate() throws Exception {
    SdsIdentity gateway = identity("gateway", "tls-gateway-4");
    try (TlsBackend scorer = TlsBackend.start(cp, "ml", "fraud-scorer", "tls-backend-scorer-2")) {
      // Trusts the server, but has no certificate to present. Under TLS 1.3 the client's handshake
      // ends before the server checks the client's certificate, so the refusal reaches the client
      // as an alert on its write or read, or as a bare close, depending on timing.
      String response;
      try {
        response = httpsGet(gateway.sslContextWithoutCertificate(), scorer.port());
      } catch (IOException refused) {
        response = "";
      }
      assertThat(response).as("response to a client without a certificate").isEmpty();
      assertThat(scorer.requests()).isZero();
    }
  }

  /** A TLS server holding {@code server} that accepts only {@code clientId}; a client holding {@code client} that accepts only {@code serverId}. */
  private static String handshake(SdsIdentity server, String clientId, SdsIdentity client, String serverId) throws Exception {
    SSLContext serverTls = server.sslContext(clientId);
    SSLContext clientTls = client.sslContext(serverId);
    try (SSLServerSocket listener = (SSLServerSocket) serverTls.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      listener.setNeedClientAuth(true);
      CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
        try (SSLSocket s = (SSLSocket) listener.accept()) {
          s.setSoTimeout(10_000);
          s.startHandshake();
          X509Certificate peer = (X509Certificate) s.getSession().getPeerCertificates()[0];
          OutputStream out = s.getOutputStream();
          out.write(("hello " + SdsIdentity.spiffeId(peer) + "\n").getBytes(StandardCharsets.UTF_8));
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

  /** One HTTP/1.1 GET over TLS on a raw socket (no host name check: the ID is in a URI SAN); the whole response. */
  private static String httpsGet(SSLContext tls, int port) throws IOException {
    try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write("GET / HTTP/1.1\r\nHost: scorer\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static SdsIdentity identity(String serviceAccount, String nodeId) throws Exception {
    return SdsIdentity.fetch(cp, "ml", serviceAccount, nodeId);
  }
}
