package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets over SDS, on real gRPC streams: only on the TLS port, only to a proxy that proved its
 * identity with a bootstrap token, and only its own identity's. Streams whose token is revoked or
 * expires are closed.
 */
class SecureXdsTest {
  static final List<String> BOTH = List.of("default", "ROOTCA");
  static final Duration QUIET = Duration.ofSeconds(1);

  @TempDir static Path store;
  static ControlPlane cp;

  @BeforeAll
  static void start() {
    cp = ControlPlane.prepare(store).withArgs("--sluice.tokens.recheck-interval=1s");
    cp.start();
  }

  @AfterAll
  static void stop() {
    cp.close();
  }

  @Test
  void validToken_getsDefaultAndRootcaForItsOwnIdentity_andNothingUnderAnyOtherName() throws Exception {
    Bootstraps minted = Bootstraps.mint(cp, "ml", "fraud-scorer", "gw-own", null);
    try (SdsClient client = SdsClient.secure(cp, minted.bearer())) {
      SdsClient.Stream stream = client.open().request(SdsClient.gatewayNode("gw-own"), SdsClient.SECRET, BOTH);
      DiscoveryResponse r = stream.next(Duration.ofSeconds(10));
      assertThat(r).as("secrets for a valid token").isNotNull();
      Map<String, Secret> secrets = SdsClient.secrets(r).stream().collect(Collectors.toMap(Secret::getName, s -> s));
      assertThat(secrets).containsOnlyKeys("default", "ROOTCA");

      List<X509Certificate> chain = certificates(secrets.get("default").getTlsCertificate().getCertificateChain().getInlineBytes().toStringUtf8());
      assertThat(chain.get(0).getSubjectAlternativeNames()).hasSize(1);
      List<?> san = chain.get(0).getSubjectAlternativeNames().iterator().next();
      assertThat(san).isEqualTo(List.of(6, "spiffe://cluster.local/ns/ml/sa/fraud-scorer"));
      assertThat(secrets.get("default").getTlsCertificate().getPrivateKey().getInlineBytes().toStringUtf8())
          .startsWith("-----BEGIN PRIVATE KEY-----");
      List<X509Certificate> roots = certificates(secrets.get("ROOTCA").getValidationContext().getTrustedCa().getInlineBytes().toStringUtf8());
      assertThat(roots).containsExactlyElementsOf(certificates(trustBundle()));
      chain.get(chain.size() - 1).verify(roots.get(0).getPublicKey());

      // Another identity's SPIFFE ID, or any other name, reaches nothing: the stream's snapshot
      // holds only its own identity's two secrets.
      stream.ack(r, BOTH).request(SdsClient.gatewayNode("gw-own"), SdsClient.SECRET,
          List.of("default", "ROOTCA", "spiffe://cluster.local/ns/ml/sa/other"));
      assertThat(stream.next(QUIET)).as("a response naming another identity's secret").isNull();
      assertThat(stream.closed).isNotDone();
    }
  }

  @Test
  void twoIdentities_getTwoCertificates_eachNamingOnlyItsOwnSpiffeId() throws Exception {
    X509Certificate a = leaf(Bootstraps.mint(cp, "ml", "model-a", "gw-a", null), "gw-a");
    X509Certificate b = leaf(Bootstraps.mint(cp, "risk", "model-b", "gw-b", null), "gw-b");
    assertThat(a.getSerialNumber()).isNotEqualTo(b.getSerialNumber());
    assertThat(a.getPublicKey()).isNotEqualTo(b.getPublicKey());
    assertThat(a.getSubjectAlternativeNames().iterator().next().get(1)).isEqualTo("spiffe://cluster.local/ns/ml/sa/model-a");
    assertThat(b.getSubjectAlternativeNames().iterator().next().get(1)).isEqualTo("spiffe://cluster.local/ns/risk/sa/model-b");
  }

  @Test
  void noToken_isUnauthenticated_andGetsNoSecret() throws Exception {
    assertRefused(null, "no credential");
    assertRefused("Basic dXNlcjpwYXNz", "Bearer");
  }

  @Test
  void expiredToken_isUnauthenticated_andGetsNoSecret() throws Exception {
    Bootstraps minted = Bootstraps.mint(cp, "ml", "short-lived", "gw-expired", "1s");
    Thread.sleep(1_100);
    assertRefused(minted.bearer(), "expired");
  }

  @Test
  void revokedToken_isUnauthenticated_andGetsNoSecret() throws Exception {
    Bootstraps minted = Bootstraps.mint(cp, "ml", "revoked", "gw-revoked", null);
    assertThat(cp.delete("/api/v1/tokens/" + minted.tokenId()).status()).isEqualTo(204);
    assertRefused(minted.bearer(), "revoked");
    assertThat(cp.get("/api/v1/tokens/" + minted.tokenId()).body().get("revokedAt").isString()).isTrue();
  }

  @Test
  void forgedTokens_areUnauthenticated_andGetNoSecret() throws Exception {
    String real = Bootstraps.mint(cp, "ml", "honest", "gw-honest", null).bearer().substring("Bearer ".length());
    String[] parts = real.split("\\.");
    String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    // The same signature over claims that name a more interesting identity.
    String upgraded = Base64.getUrlEncoder().withoutPadding().encodeToString(
        claims.replace("\"sa\":\"honest\"", "\"sa\":\"payments\"").getBytes(StandardCharsets.UTF_8));
    assertRefused("Bearer " + parts[0] + "." + upgraded + "." + parts[2], "signature");
    // A signature made with another key.
    byte[] otherKey = new byte[32];
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(otherKey, "HmacSHA256"));
    String signed = parts[0] + "." + parts[1];
    String resigned = signed + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
    assertRefused("Bearer " + resigned, "signature");
    // Not a Sluice token at all.
    assertRefused("Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "not one Sluice issued");
  }

  @Test
  void plaintextPort_neverServesASecret_evenToANodeWithAValidToken() throws Exception {
    Bootstraps.mint(cp, "ml", "plain", "gw-plain", null);
    try (SdsClient client = SdsClient.plaintext(cp)) {
      SdsClient.Stream stream = client.open().request(SdsClient.gatewayNode("gw-plain"), SdsClient.SECRET, BOTH);
      Status status = stream.awaitClosed(Duration.ofSeconds(10));
      assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(status.getDescription()).contains("secure xDS port");
      assertThat(stream.responses).isEmpty();
    }
  }

  @Test
  void securePort_servesRoutingToo() throws Exception {
    Bootstraps minted = Bootstraps.mint(cp, "ml", "router", "gw-routing", null);
    try (SdsClient client = SdsClient.secure(cp, minted.bearer())) {
      SdsClient.Stream stream = client.open().request(SdsClient.gatewayNode("gw-routing"), SdsClient.CDS, List.of());
      DiscoveryResponse r = stream.next(Duration.ofSeconds(10));
      assertThat(r).isNotNull();
      assertThat(r.getTypeUrl()).isEqualTo(SdsClient.CDS);
    }
  }

  @Test
  void revokingAToken_closesItsOpenStream_andDropsItFromTheProxies() throws Exception {
    Bootstraps minted = Bootstraps.mint(cp, "ml", "soon-revoked", "gw-live-revoked", null);
    try (SdsClient client = SdsClient.secure(cp, minted.bearer())) {
      SdsClient.Stream stream = client.open().request(SdsClient.gatewayNode("gw-live-revoked"), SdsClient.SECRET, BOTH);
      assertThat(stream.next(Duration.ofSeconds(10))).isNotNull();
      assertThat(cp.get("/api/v1/proxies/gw-live-revoked").status()).isEqualTo(200);
      assertThat(cp.get("/api/v1/proxies/gw-live-revoked").body().get(0).get("identity").asString()).isEqualTo("ml/soon-revoked");

      long revokedAt = System.nanoTime();
      assertThat(cp.delete("/api/v1/tokens/" + minted.tokenId()).status()).isEqualTo(204);
      Status status = stream.awaitClosed(Duration.ofSeconds(30));
      long millis = (System.nanoTime() - revokedAt) / 1_000_000;
      assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(status.getDescription()).contains("revoked");
      assertThat(millis).as("closed %d ms after the revocation", millis).isLessThan(30_000);
      awaitGone("gw-live-revoked");
    }
  }

  @Test
  void expiringToken_closesItsOpenStream() throws Exception {
    Bootstraps minted = Bootstraps.mint(cp, "ml", "expiring", "gw-live-expiring", "3s");
    try (SdsClient client = SdsClient.secure(cp, minted.bearer())) {
      SdsClient.Stream stream = client.open().request(SdsClient.gatewayNode("gw-live-expiring"), SdsClient.SECRET, BOTH);
      assertThat(stream.next(Duration.ofSeconds(10))).isNotNull();
      Status status = stream.awaitClosed(Duration.ofSeconds(30));
      assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(status.getDescription()).contains("expired");
      awaitGone("gw-live-expiring");
    }
  }

  @Test
  void theNodeIdIsPinnedToTheToken() throws Exception {
    Bootstraps minted = Bootstraps.mint(cp, "ml", "pinned", "gw-pinned", null);
    try (SdsClient client = SdsClient.secure(cp, minted.bearer())) {
      SdsClient.Stream stream = client.open().request(SdsClient.gatewayNode("someone-else"), SdsClient.SECRET, BOTH);
      Status status = stream.awaitClosed(Duration.ofSeconds(10));
      assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(status.getDescription()).contains("gw-pinned");
      assertThat(stream.responses).isEmpty();

      // The right node first, then a request naming another: the stream is closed.
      SdsClient.Stream second = client.open().request(SdsClient.gatewayNode("gw-pinned"), SdsClient.SECRET, BOTH);
      DiscoveryResponse r = second.next(Duration.ofSeconds(10));
      assertThat(r).isNotNull();
      second.send(io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest.newBuilder()
          .setNode(SdsClient.gatewayNode("someone-else")).setTypeUrl(SdsClient.SECRET).setVersionInfo(r.getVersionInfo())
          .setResponseNonce(r.getNonce()).addAllResourceNames(BOTH).build());
      assertThat(second.awaitClosed(Duration.ofSeconds(10)).getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    }
  }

  @Test
  void aNodeThatNamesItsNamespace_mustHaveProvenAnIdentityInIt() throws Exception {
    Bootstraps minted = Bootstraps.mint(cp, "ml", "named", "gw-named", null);
    try (SdsClient client = SdsClient.secure(cp, minted.bearer())) {
      var elsewhere = SdsClient.gatewayNode("gw-named").toBuilder();
      elsewhere.getMetadataBuilder().putFields("sluice.namespace", com.google.protobuf.Value.newBuilder().setStringValue("risk").build());
      SdsClient.Stream stream = client.open().request(elsewhere.build(), SdsClient.SECRET, BOTH);
      Status status = stream.awaitClosed(Duration.ofSeconds(10));
      assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(status.getDescription()).contains("is for namespace ml, but the node says it is in risk");
      assertThat(stream.responses).isEmpty();

      var own = SdsClient.gatewayNode("gw-named").toBuilder();
      own.getMetadataBuilder().putFields("sluice.namespace", com.google.protobuf.Value.newBuilder().setStringValue("ml").build());
      assertThat(client.open().request(own.build(), SdsClient.SECRET, BOTH).next(Duration.ofSeconds(10))).isNotNull();
    }
  }

  @Test
  void aSidecar_mustRunAsTheServiceAccountItProved() throws Exception {
    Bootstraps minted = Bootstraps.mintSidecar(cp, "ml", "scorer", "scorer-pod", List.of(8080), "127.0.0.1");
    try (SdsClient client = SdsClient.secure(cp, minted.bearer())) {
      SdsClient.Stream stream = client.open().request(sidecarNode("scorer-pod", "payments"), SdsClient.SECRET, BOTH);
      Status status = stream.awaitClosed(Duration.ofSeconds(10));
      assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(status.getDescription()).contains("is for service account scorer, but the sidecar says it runs as payments");
      assertThat(stream.responses).isEmpty();

      assertThat(client.open().request(sidecarNode("scorer-pod", "scorer"), SdsClient.SECRET, BOTH)
          .next(Duration.ofSeconds(10))).isNotNull();
    }
  }

  /** A sidecar's node in ml, claiming {@code serviceAccount}, serving 8080. */
  private static io.envoyproxy.envoy.config.core.v3.Node sidecarNode(String id, String serviceAccount) {
    var node = SdsClient.gatewayNode(id).toBuilder();
    var md = node.getMetadataBuilder();
    md.putFields("sluice.role", com.google.protobuf.Value.newBuilder().setStringValue("sidecar").build());
    md.putFields("sluice.namespace", com.google.protobuf.Value.newBuilder().setStringValue("ml").build());
    md.putFields("sluice.service_account", com.google.protobuf.Value.newBuilder().setStringValue(serviceAccount).build());
    md.putFields("sluice.inbound_ports", com.google.protobuf.Value.newBuilder().setStringValue("8080").build());
    return node.build();
  }

  @Test
  void theRoleIsPinnedToTheToken() throws Exception {
    Bootstraps minted = Bootstraps.mint(cp, "ml", "gw-role", "gw-role", null);
    try (SdsClient client = SdsClient.secure(cp, minted.bearer())) {
      var proxyless = SdsClient.gatewayNode("gw-role").toBuilder();
      proxyless.getMetadataBuilder().putFields("sluice.role", com.google.protobuf.Value.newBuilder().setStringValue("proxyless").build());
      SdsClient.Stream stream = client.open().request(proxyless.build(), SdsClient.SECRET, BOTH);
      Status status = stream.awaitClosed(Duration.ofSeconds(10));
      assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(status.getDescription()).contains("role gateway");

      // The right role first, then a request for another group: refused, the stream closed.
      SdsClient.Stream second = client.open().request(SdsClient.gatewayNode("gw-role"), SdsClient.CDS, List.of());
      DiscoveryResponse r = second.next(Duration.ofSeconds(10));
      assertThat(r).isNotNull();
      second.send(io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest.newBuilder().setNode(proxyless.build())
          .setTypeUrl(SdsClient.CDS).setVersionInfo(r.getVersionInfo()).setResponseNonce(r.getNonce()).build());
      Status later = second.awaitClosed(Duration.ofSeconds(10));
      assertThat(later.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(later.getDescription()).contains("may not change its role");
    }
  }

  @Test
  void theControlPlanesOwnNamespace_cannotBeBootstrapped() {
    ControlPlane.Response r = cp.post("/api/v1/namespaces/sluice-system/bootstrap",
        "{\"serviceAccount\":\"sluice\",\"nodeId\":\"impostor\"}");
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.body().get("errors").get(0).get("field").asString()).isEqualTo("metadata.namespace");
  }

  @Test
  void certificatesNeverOutliveTheirToken_andLosingOneRenewsTheIdentitysKeyForTheOthers() throws Exception {
    Bootstraps first = Bootstraps.mint(cp, "ml", "shared", "gw-shared-1", "1h");
    Bootstraps second = Bootstraps.mint(cp, "ml", "shared", "gw-shared-2", "2h");
    try (SdsClient one = SdsClient.secure(cp, first.bearer()); SdsClient two = SdsClient.secure(cp, second.bearer())) {
      SdsClient.Stream a = one.open().request(SdsClient.gatewayNode("gw-shared-1"), SdsClient.SECRET, BOTH);
      DiscoveryResponse firstCert = a.next(Duration.ofSeconds(10));
      X509Certificate issued = leafOf(firstCert);
      assertThat(issued.getNotAfter().toInstant())
          .as("capped by the 1 h token, not the 24 h default").isBeforeOrEqualTo(java.time.Instant.now().plus(Duration.ofHours(1)));

      SdsClient.Stream b = two.open().request(SdsClient.gatewayNode("gw-shared-2"), SdsClient.SECRET, BOTH);
      DiscoveryResponse shared = b.next(Duration.ofSeconds(10));
      assertThat(leafOf(shared)).as("one identity, one certificate").isEqualTo(issued);
      b.ack(shared, BOTH);

      assertThat(cp.delete("/api/v1/tokens/" + first.tokenId()).status()).isEqualTo(204);
      assertThat(a.awaitClosed(Duration.ofSeconds(10)).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
      DiscoveryResponse renewed = b.next(Duration.ofSeconds(10));
      assertThat(renewed).as("a new key for the proxy that kept its token").isNotNull();
      assertThat(leafOf(renewed).getPublicKey()).isNotEqualTo(issued.getPublicKey());
      assertThat(leafOf(renewed).getNotAfter().toInstant()).isAfter(issued.getNotAfter().toInstant());
      assertThat(b.closed).isNotDone();
    }
  }

  @Test
  void aStreamTheServiceClosesOnAnError_isForgotten() throws Exception {
    Bootstraps minted = Bootstraps.mint(cp, "ml", "broken", "gw-broken", null);
    try (SdsClient client = SdsClient.secure(cp, minted.bearer())) {
      SdsClient.DeltaStream stream = client.openDelta();
      stream.requests.onNext(io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest.newBuilder()
          .setNode(SdsClient.gatewayNode("gw-broken")).setTypeUrl(SdsClient.SECRET).addAllResourceNamesSubscribe(BOTH).build());
      assertThat(stream.responses.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isNotNull();
      // A delta request without a type URL: java-control-plane ends the stream without its close callbacks.
      stream.requests.onNext(io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest.newBuilder().build());
      assertThat(stream.closed.get(10, java.util.concurrent.TimeUnit.SECONDS).isOk()).isFalse();
      awaitGone("gw-broken");
    }
  }

  private static X509Certificate leafOf(DiscoveryResponse r) throws Exception {
    assertThat(r).isNotNull();
    Secret cert = SdsClient.secrets(r).stream().filter(s -> s.getName().equals("default")).findFirst().orElseThrow();
    return certificates(cert.getTlsCertificate().getCertificateChain().getInlineBytes().toStringUtf8()).get(0);
  }

  @Test
  void deltaStreams_getTheirOwnSecretsToo_andNotOnThePlaintextPort() throws Exception {
    Bootstraps minted = Bootstraps.mint(cp, "ml", "delta", "gw-delta", null);
    try (SdsClient secure = SdsClient.secure(cp, minted.bearer()); SdsClient plain = SdsClient.plaintext(cp)) {
      SdsClient.DeltaStream stream = secure.openDelta();
      stream.requests.onNext(io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest.newBuilder()
          .setNode(SdsClient.gatewayNode("gw-delta")).setTypeUrl(SdsClient.SECRET).addAllResourceNamesSubscribe(BOTH).build());
      var r = stream.responses.poll(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(r).isNotNull();
      List<String> names = new java.util.ArrayList<>();
      for (var resource : r.getResourcesList()) {
        Secret s = resource.getResource().unpack(Secret.class);
        names.add(s.getName());
        if (s.getName().equals("default")) {
          X509Certificate leaf = certificates(s.getTlsCertificate().getCertificateChain().getInlineBytes().toStringUtf8()).get(0);
          assertThat(leaf.getSubjectAlternativeNames().iterator().next().get(1)).isEqualTo("spiffe://cluster.local/ns/ml/sa/delta");
        }
      }
      assertThat(names).containsExactlyInAnyOrder("default", "ROOTCA");

      SdsClient.DeltaStream refused = plain.openDelta();
      refused.requests.onNext(io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest.newBuilder()
          .setNode(SdsClient.gatewayNode("gw-delta-plain")).setTypeUrl(SdsClient.SECRET).addAllResourceNamesSubscribe(BOTH).build());
      assertThat(refused.closed.get(10, java.util.concurrent.TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(refused.responses).isEmpty();
    }
  }

  private static void assertRefused(String bearer, String reason) throws Exception {
    try (SdsClient client = SdsClient.secure(cp, bearer)) {
      SdsClient.Stream stream = client.open().request(SdsClient.gatewayNode("gw-refused"), SdsClient.SECRET, BOTH);
      Status status = stream.awaitClosed(Duration.ofSeconds(10));
      assertThat(status.getCode()).as("status for %s", reason).isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(status.getDescription()).contains(reason);
      assertThat(stream.responses).as("responses to a refused stream").isEmpty();
    }
  }

  private static X509Certificate leaf(Bootstraps minted, String nodeId) throws Exception {
    try (SdsClient client = SdsClient.secure(cp, minted.bearer())) {
      DiscoveryResponse r = client.open().request(SdsClient.gatewayNode(nodeId), SdsClient.SECRET, BOTH).next(Duration.ofSeconds(10));
      assertThat(r).isNotNull();
      Secret cert = SdsClient.secrets(r).stream().filter(s -> s.getName().equals("default")).findFirst().orElseThrow();
      return certificates(cert.getTlsCertificate().getCertificateChain().getInlineBytes().toStringUtf8()).get(0);
    }
  }

  private static void awaitGone(String nodeId) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (cp.get("/api/v1/proxies/" + nodeId).status() != 404) {
      assertThat(System.nanoTime()).as("%s still listed in /api/v1/proxies", nodeId).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  static String trustBundle() {
    return trustBundleOf(cp);
  }

  static String trustBundleOf(ControlPlane controlPlane) {
    return controlPlane.raw(java.net.http.HttpRequest.newBuilder().GET(), "/api/v1/trust-bundle").body();
  }

  @SuppressWarnings("unchecked")
  static List<X509Certificate> certificates(String pem) throws Exception {
    return (List<X509Certificate>) (List<?>) List.copyOf(CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
  }
}
