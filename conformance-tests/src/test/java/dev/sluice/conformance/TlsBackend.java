package dev.sluice.conformance;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * A model server that speaks HTTPS (HTTP/1.1) on 127.0.0.1 as one workload identity, with only the
 * key, certificate and roots SDS delivered to that identity. It requires a client certificate that
 * chains to those roots (mutual TLS), answers every request 200 with its own SPIFFE ID, and records
 * the SPIFFE ID of each client it served.
 */
final class TlsBackend implements AutoCloseable {
  private final SdsIdentity identity;
  private final HttpsServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final List<String> clientIds = new CopyOnWriteArrayList<>();

  TlsBackend(SdsIdentity identity) throws Exception {
    this.identity = identity;
    SSLContext tls = identity.sslContext(null);
    try {
      server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setHttpsConfigurator(new HttpsConfigurator(tls) {
      @Override
      public void configure(HttpsParameters params) {
        SSLParameters ssl = getSSLContext().getDefaultSSLParameters();
        ssl.setNeedClientAuth(true);
        params.setSSLParameters(ssl);
      }
    });
    byte[] body = identity.spiffeId().getBytes(StandardCharsets.UTF_8);
    server.createContext("/", exchange -> {
      clientIds.add(clientId((HttpsExchange) exchange));
      exchange.getResponseHeaders().set("Content-Type", "text/plain");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.setExecutor(executor);
    server.start();
  }

  /** A backend holding {@code namespace/serviceAccount}, proven with a bootstrap token minted for node {@code nodeId}. */
  static TlsBackend start(ControlPlane cp, String namespace, String serviceAccount, String nodeId) throws Exception {
    return new TlsBackend(SdsIdentity.fetch(cp, namespace, serviceAccount, nodeId));
  }

  int port() {
    return server.getAddress().getPort();
  }

  String endpoint() {
    return "127.0.0.1:" + port();
  }

  /** The SPIFFE ID this backend presents and answers with. */
  String spiffeId() {
    return identity.spiffeId();
  }

  /** The SPIFFE ID of the client certificate of every request served so far, in order. */
  List<String> clientIds() {
    return List.copyOf(clientIds);
  }

  /** Requests served so far (a connection refused in its handshake serves none). */
  int requests() {
    return clientIds.size();
  }

  private static String clientId(HttpsExchange exchange) {
    try {
      Certificate[] peer = exchange.getSSLSession().getPeerCertificates();
      return SdsIdentity.spiffeId((X509Certificate) peer[0]);
    } catch (SSLPeerUnverifiedException e) {
      return "(no client certificate)"; // cannot happen with needClientAuth; recorded rather than hidden
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
