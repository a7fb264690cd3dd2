package dev.sluice.controlplane.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.controlplane.RunningApp;
import dev.sluice.controlplane.ca.CaProperties;
import dev.sluice.controlplane.ca.CaRoot;
import dev.sluice.controlplane.ca.CertificateAuthority;
import dev.sluice.controlplane.ca.IssuedCertificate;
import dev.sluice.controlplane.ca.WorkloadIdentity;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST API's mutual-TLS port: a pipeline with a certificate from Sluice's CA is its SPIFFE ID,
 * with the grants {@code sluice.api.identities} gives it; a certificate of another CA, an expired one
 * or one whose SPIFFE ID has no grants proves nothing more; no certificate falls back to tokens.
 */
class ClientCertificateTest {
  static final String PIPELINE = "spiffe://cluster.local/ns/ml/sa/pipeline";
  @TempDir static Path store;
  static RunningApp app;
  static int port;
  static CaProperties properties;

  @BeforeAll
  static void start() throws Exception {
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    app = RunningApp.start(store, "--sluice.api.mtls-port=" + port,
        "--sluice.api.identities[0].spiffe-id=" + PIPELINE,
        "--sluice.api.identities[0].grants[0].role=editor",
        "--sluice.api.identities[0].grants[0].namespaces[0]=ml");
    properties = app.bean(CaProperties.class);
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void aPipelinesCertificate_isItsSpiffeId_withItsGrants() throws Exception {
    IssuedCertificate cert = app.bean(CertificateAuthority.class).issue(new WorkloadIdentity("ml", "pipeline"));
    HttpClient client = client(cert);
    assertThat(send(client, "PUT", "/api/v1/namespaces/ml/modelroutes/r", route()).statusCode()).isEqualTo(201);
    assertThat(send(client, "PUT", "/api/v1/namespaces/prod/modelroutes/r", route()).statusCode()).isEqualTo(403);
    assertThat(send(client, "GET", "/api/v1/tokens", null).statusCode()).isEqualTo(403);
  }

  @Test
  void aWorkloadWithoutGrants_isKnownButMayNothing() throws Exception {
    IssuedCertificate cert = app.bean(CertificateAuthority.class).issue(new WorkloadIdentity("ml", "sidecar"));
    HttpClient client = client(cert);
    assertThat(send(client, "GET", "/api/v1/namespaces/ml/modelroutes", null).statusCode()).isEqualTo(403);
    assertThat(send(client, "GET", "/v3/api-docs", null).statusCode()).as("authenticated").isEqualTo(200);
  }

  @Test
  void anotherCasCertificate_is401() throws Exception {
    CertificateAuthority other = new CertificateAuthority(CaRoot.generate(properties, Clock.systemUTC()), properties,
        Clock.systemUTC());
    HttpResponse<String> r = send(client(other.issue(new WorkloadIdentity("ml", "pipeline"))), "GET",
        "/api/v1/namespaces/ml/modelroutes", null);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  @Test
  void anExpiredCertificate_is401() throws Exception {
    // Sluice's own root, from its store, signing with a clock 40 s back a certificate that lived 10 s.
    Instant past = Instant.now().minusSeconds(40);
    Clock then = Clock.fixed(past, ZoneOffset.UTC);
    CertificateAuthority ca = new CertificateAuthority(CaRoot.load(properties, store, then), properties, then);
    IssuedCertificate expired = ca.issue(new WorkloadIdentity("ml", "pipeline"), Duration.ofSeconds(10));
    assertThat(expired.notAfter()).isBefore(Instant.now());
    assertThat(send(client(expired), "GET", "/api/v1/namespaces/ml/modelroutes", null).statusCode()).isEqualTo(401);
  }

  @Test
  void noCertificate_fallsBackToTokens() throws Exception {
    HttpClient anonymous = HttpClient.newBuilder().sslContext(sslContext(null)).build();
    assertThat(send(anonymous, "GET", "/api/v1/tokens", null).statusCode()).isEqualTo(401);
    HttpResponse<String> withToken = anonymous.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port
        + "/api/v1/tokens")).header("Authorization", "Bearer " + app.adminToken()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(withToken.statusCode()).isEqualTo(200);
  }

  private static String route() {
    return "{\"spec\": {\"hosts\": [\"r.ml\"], \"port\": 8080, \"versions\": [{\"name\": \"v1\", \"weight\": 100, "
        + "\"endpoints\": [\"10.0.0.1:80\"]}]}}";
  }

  private static HttpResponse<String> send(HttpClient client, String method, String path, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpClient client(IssuedCertificate cert) throws Exception {
    return HttpClient.newBuilder().sslContext(sslContext(cert)).build();
  }

  /** Trusts Sluice's roots for the server; presents {@code cert} when not null. */
  private static SSLContext sslContext(IssuedCertificate cert) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    int i = 0;
    for (X509Certificate root : app.bean(CertificateAuthority.class).trustBundle()) {
      trust.setCertificateEntry("root-" + i++, root);
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    if (cert != null) {
      keys.setKeyEntry("client", cert.privateKey(), new char[0], cert.chain().toArray(X509Certificate[]::new));
    }
    kmf.init(keys, new char[0]);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return context;
  }

  @Test
  void badIdentities_stopStartUp_namingTheField(@TempDir Path other) {
    assertThatThrownBy(() -> RunningApp.start(other, "--sluice.api.mtls-port=0",
        "--sluice.api.identities[0].spiffe-id=spiffe://elsewhere/ns/ml/sa/x",
        "--sluice.api.identities[0].grants[0].role=viewer"))
        .hasStackTraceContaining("sluice.api.identities[0].spiffe-id must be a SPIFFE ID in the trust domain");
  }
}
