package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kubernetes mode without cert-manager, on a real kube-apiserver: the leader issues the sidecar
 * injector's serving certificate into a {@code kubernetes.io/tls} Secret, writes the trust bundle to a
 * ConfigMap and patches the {@code caBundle} of the MutatingWebhookConfiguration, so that a client
 * trusting only that caBundle (as the API server does) completes a TLS handshake with a server using
 * the Secret; what is broken or deleted is repaired within a few check intervals; in cert-manager mode
 * only the ConfigMap is written.
 */
class KubernetesInjectorCertificatesTest {
  static final String NAMESPACE = "sluice-system";
  static final String WEBHOOK_NAME = "sluice-injector.sluice-system.svc";
  static final String JUNK = Base64.getEncoder().encodeToString("junk".getBytes(StandardCharsets.US_ASCII));
  static final Duration WAIT = Duration.ofSeconds(20);

  private static KubeApiServer kube;
  private static KubernetesClient client;

  @BeforeAll
  static void start() throws Exception {
    kube = KubeApiServer.startWithCrd(NAMESPACE);
    client = kube.client();
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (kube != null) {
      kube.close();
    }
  }

  @Test
  @DisplayName("the Secret, the ConfigMap and caBundle are made, a TLS handshake on them works, and they are kept current")
  void secretConfigMapAndCaBundle_areMadeAndKeptCurrent(@TempDir Path store) throws Exception {
    applyWebhookConfiguration();
    try (ControlPlane cp = ControlPlane.prepare(store).withArgs(
        "--sluice.store.type=kubernetes",
        "--sluice.kubernetes.kubeconfig=" + kube.kubeconfig(),
        "--sluice.kubernetes.injector.service=sluice-injector",
        "--sluice.kubernetes.injector.tls-secret=sluice-injector-tls",
        "--sluice.kubernetes.injector.webhook-configuration=sluice-injector",
        "--sluice.kubernetes.injector.trust-bundle-config-map=sluice-trust-bundle",
        "--sluice.kubernetes.injector.check-interval=1s")) {
      cp.start();
      String bundle = trustBundle(cp);
      String wantedCaBundle = Base64.getEncoder().encodeToString(bundle.getBytes(StandardCharsets.US_ASCII));

      // (a) all three made; the leaf chains to the patched caBundle and names the Service.
      ConfigMap configMap = await("ConfigMap with ca.crt", () -> {
        ConfigMap c = client.configMaps().inNamespace(NAMESPACE).withName("sluice-trust-bundle").get();
        return c != null && bundle.equals(c.getData().get("ca.crt")) ? c : null;
      });
      assertThat(configMap.getData()).containsOnlyKeys("ca.crt");
      await("caBundle of both webhooks", () -> caBundles().equals(List.of(wantedCaBundle, wantedCaBundle)) ? true : null);
      Secret secret = await("Secret sluice-injector-tls", () -> client.secrets().inNamespace(NAMESPACE)
          .withName("sluice-injector-tls").get());
      assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
      assertThat(secret.getData()).containsOnlyKeys("tls.crt", "tls.key");
      assertThat(text(secret, "tls.key")).startsWith("-----BEGIN PRIVATE KEY-----");

      List<X509Certificate> caBundle = certificates(new String(Base64.getDecoder().decode(caBundles().get(0)),
          StandardCharsets.US_ASCII));
      List<X509Certificate> chain = certificates(text(secret, "tls.crt"));
      assertThat(chain.get(0).getSubjectAlternativeNames().stream().filter(san -> san.get(0).equals(2))
          .map(san -> (String) san.get(1)).collect(Collectors.toSet())).containsExactlyInAnyOrder(
              "sluice-injector", "sluice-injector.sluice-system", WEBHOOK_NAME,
              "sluice-injector.sluice-system.svc.cluster.local");
      assertChains(chain, caBundle);
      assertThat(handshake(secret, caBundle, WEBHOOK_NAME)).isEqualTo("TLSv1.3");
      assertThatThrownBy(() -> handshake(secret, caBundle, "other.sluice-system.svc"))
          .as("a name the certificate does not carry").isInstanceOf(SSLHandshakeException.class);

      // (b) broken caBundle, deleted Secret, junk trust bundle: all repaired within a few intervals.
      var first = chain.get(0).getSerialNumber();
      assertThat(kube.kubectl(null, "patch", "mutatingwebhookconfiguration", "sluice-injector", "--type=json", "-p",
          "[{\"op\":\"replace\",\"path\":\"/webhooks/0/clientConfig/caBundle\",\"value\":\"" + JUNK + "\"}]").ok())
          .isTrue();
      assertThat(kube.kubectl(null, "delete", "secret", "sluice-injector-tls", "-n", NAMESPACE).ok()).isTrue();
      client.configMaps().inNamespace(NAMESPACE).withName("sluice-trust-bundle")
          .edit(c -> new ConfigMapBuilder(c).addToData("ca.crt", "junk").build());
      long broken = System.nanoTime();
      await("caBundle repaired", () -> caBundles().equals(List.of(wantedCaBundle, wantedCaBundle)) ? true : null);
      Secret again = await("Secret made again", () -> client.secrets().inNamespace(NAMESPACE)
          .withName("sluice-injector-tls").get());
      await("ConfigMap repaired", () -> bundle.equals(client.configMaps().inNamespace(NAMESPACE)
          .withName("sluice-trust-bundle").get().getData().get("ca.crt")) ? true : null);
      assertThat(Duration.ofNanos(System.nanoTime() - broken)).as("repair time").isLessThan(Duration.ofSeconds(5));
      List<X509Certificate> newChain = certificates(text(again, "tls.crt"));
      assertThat(newChain.get(0).getSerialNumber()).isNotEqualTo(first);
      assertChains(newChain, caBundle);
      assertThat(handshake(again, caBundle, WEBHOOK_NAME)).isEqualTo("TLSv1.3");
    }
  }

  @Test
  @DisplayName("cert-manager mode (tls-secret and webhook-configuration empty): only the ConfigMap is written")
  void certManagerMode_writesTheConfigMapOnly(@TempDir Path store) throws Exception {
    String namespace = "cert-manager-mode";
    assertThat(kube.kubectl(null, "create", "namespace", namespace).ok()).isTrue();
    applyWebhookConfiguration();
    try (ControlPlane cp = ControlPlane.prepare(store).withArgs(
        "--sluice.store.type=kubernetes",
        "--sluice.kubernetes.kubeconfig=" + kube.kubeconfig(),
        "--sluice.kubernetes.namespace=" + namespace,
        "--sluice.kubernetes.injector.service=sluice-injector",
        "--sluice.kubernetes.injector.tls-secret=",
        "--sluice.kubernetes.injector.webhook-configuration=",
        "--sluice.kubernetes.injector.check-interval=1s")) {
      cp.start();
      String bundle = trustBundle(cp);
      await("ConfigMap with ca.crt", () -> {
        ConfigMap c = client.configMaps().inNamespace(namespace).withName("sluice-trust-bundle").get();
        return c != null && bundle.equals(c.getData().get("ca.crt")) ? c : null;
      });
      // Two repairs of the ConfigMap: the round of the first one has finished when the second is seen.
      for (int i = 0; i < 2; i++) {
        client.configMaps().inNamespace(namespace).withName("sluice-trust-bundle")
            .edit(c -> new ConfigMapBuilder(c).addToData("ca.crt", "junk").build());
        await("ConfigMap repaired", () -> bundle.equals(client.configMaps().inNamespace(namespace)
            .withName("sluice-trust-bundle").get().getData().get("ca.crt")) ? true : null);
      }
      assertThat(client.secrets().inNamespace(namespace).list().getItems()).extracting(s -> s.getMetadata().getName())
          .as("no serving certificate Secret, only the CA's").containsExactly("sluice-ca");
      assertThat(caBundles()).as("caBundle left to cert-manager's cainjector").containsExactly(JUNK, null);
    }
  }

  /** Two webhooks calling the Service: one with a wrong caBundle, one with none. They match no object. */
  private static void applyWebhookConfiguration() {
    String webhook = """
        - name: %s.inject.sluice.dev
          clientConfig:
            service: {name: sluice-injector, namespace: sluice-system, path: /inject, port: 9443}
            %s
          objectSelector:
            matchExpressions: [{key: sluice.dev/never, operator: In, values: ["true"]}]
          rules: [{operations: [CREATE], apiGroups: [""], apiVersions: [v1], resources: [pods], scope: Namespaced}]
          sideEffects: None
          admissionReviewVersions: [v1]
          failurePolicy: Ignore
        """;
    kube.kubectl(null, "delete", "mutatingwebhookconfiguration", "sluice-injector", "--ignore-not-found");
    kube.apply("""
        apiVersion: admissionregistration.k8s.io/v1
        kind: MutatingWebhookConfiguration
        metadata: {name: sluice-injector}
        webhooks:
        """ + webhook.formatted("namespace", "caBundle: " + JUNK) + webhook.formatted("pod", ""));
  }

  private static List<String> caBundles() {
    MutatingWebhookConfiguration c = client.admissionRegistration().v1().mutatingWebhookConfigurations()
        .withName("sluice-injector").get();
    return c.getWebhooks().stream().map(MutatingWebhook::getClientConfig).map(cc -> cc.getCaBundle())
        .collect(Collectors.toList());
  }

  /** Serves one TLS connection with the Secret's certificate; a client trusting only {@code caBundle} connects as {@code name}. */
  private static String handshake(Secret secret, List<X509Certificate> caBundle, String name) throws Exception {
    List<X509Certificate> chain = certificates(text(secret, "tls.crt"));
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("serving", privateKey(text(secret, "tls.key")), new char[0], chain.toArray(X509Certificate[]::new));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, new char[0]);
    SSLContext serverContext = SSLContext.getInstance("TLS");
    serverContext.init(kmf.getKeyManagers(), null, null);

    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    for (int i = 0; i < caBundle.size(); i++) {
      trust.setCertificateEntry("ca-" + i, caBundle.get(i));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext clientContext = SSLContext.getInstance("TLS");
    clientContext.init(null, tmf.getTrustManagers(), null);

    try (SSLServerSocket server = (SSLServerSocket) serverContext.getServerSocketFactory()
        .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
        try (SSLSocket accepted = (SSLSocket) server.accept(); OutputStream out = accepted.getOutputStream()) {
          accepted.setSoTimeout(10_000);
          out.write("ok".getBytes(StandardCharsets.US_ASCII));
        } catch (Exception e) {
          // the client's failed handshake ends here too
        }
      });
      Socket plain = new Socket();
      plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 5_000);
      try (SSLSocket socket = (SSLSocket) clientContext.getSocketFactory().createSocket(plain, name,
          server.getLocalPort(), true)) {
        socket.setSoTimeout(10_000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the name checked against the SANs
        parameters.setServerNames(List.of(new SNIHostName(name)));
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        InputStream in = socket.getInputStream();
        assertThat(new String(in.readNBytes(2), StandardCharsets.US_ASCII)).isEqualTo("ok");
        return socket.getSession().getProtocol();
      } finally {
        served.get(10, TimeUnit.SECONDS);
      }
    }
  }

  private static void assertChains(List<X509Certificate> chain, List<X509Certificate> caBundle) throws Exception {
    Set<TrustAnchor> anchors = caBundle.stream().map(c -> new TrustAnchor(c, null)).collect(Collectors.toSet());
    PKIXParameters parameters = new PKIXParameters(anchors);
    parameters.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(chain),
        parameters); // throws when it does not chain
  }

  private static List<X509Certificate> certificates(String pem) throws Exception {
    return CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))).stream()
        .map(X509Certificate.class::cast).toList();
  }

  private static PrivateKey privateKey(String pem) throws Exception {
    String base64 = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "")
        .replaceAll("\\s", "");
    return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
  }

  private static String text(Secret secret, String key) {
    return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.US_ASCII);
  }

  private static String trustBundle(ControlPlane cp) {
    ControlPlane.RawResponse r = cp.raw(HttpRequest.newBuilder().GET(), "/api/v1/trust-bundle");
    assertThat(r.status()).isEqualTo(200);
    return r.body();
  }

  /** Polls until {@code probe} gives a non-null value (an object not found yet counts as null). */
  private static <T> T await(String what, Supplier<T> probe) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      try {
        T value = probe.get();
        if (value != null) {
          return value;
        }
      } catch (RuntimeException e) {
        last = e;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(what + ": not there within " + WAIT, last);
  }
}
