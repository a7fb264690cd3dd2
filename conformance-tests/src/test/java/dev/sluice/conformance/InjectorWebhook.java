package dev.sluice.conformance;

import dev.sluice.injector.InjectorApplication;
import dev.sluice.injector.webhook.WebhookConfigurations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfigBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The sidecar injector as the API server reaches it: the application in this JVM on 127.0.0.1 (the
 * API server takes a loopback webhook URL) over HTTPS, with a serving certificate from a Sluice CA.
 */
final class InjectorWebhook implements AutoCloseable {
  static final String HOST = "127.0.0.1";

  private final ConfigurableApplicationContext app;
  private final IssuedServingCertificate cert;

  private InjectorWebhook(ConfigurableApplicationContext app, IssuedServingCertificate cert) {
    this.app = app;
    this.cert = cert;
  }

  /**
   * Starts the injector with {@code trustBundlePem} as Sluice's roots (what sidecars trust) and
   * further {@code --sluice.injector.*} settings.
   */
  static InjectorWebhook start(String trustBundlePem, String... settings) throws Exception {
    Path dir = Files.createTempDirectory("sluice-injector-");
    IssuedServingCertificate cert = IssuedServingCertificate.issue().write(dir); // names 127.0.0.1
    Files.writeString(dir.resolve("trust-bundle.pem"), trustBundlePem);
    List<String> args = new ArrayList<>(List.of(
        "--server.address=" + HOST,
        "--sluice.injector.tls.cert-file=" + dir.resolve("tls.crt"),
        "--sluice.injector.tls.key-file=" + dir.resolve("tls.key"),
        "--sluice.injector.trust-bundle-file=" + dir.resolve("trust-bundle.pem")));
    args.addAll(List.of(settings));
    return new InjectorWebhook(run(args.toArray(String[]::new)), cert);
  }

  /** The injector application on free ports (webhook and management), with these further arguments. */
  static ConfigurableApplicationContext run(String... settings) {
    List<String> args = new ArrayList<>(List.of(
        "--server.port=0", "--management.server.port=0", "--management.server.address=127.0.0.1",
        "--spring.main.banner-mode=off"));
    args.addAll(List.of(settings));
    return InjectorApplication.builder().run(args.toArray(String[]::new));
  }

  /** Where the API server posts AdmissionReviews. */
  String url() {
    return "https://" + HOST + ":" + ((WebServerApplicationContext) app).getWebServer().getPort() + "/inject";
  }

  /** The {@code caBundle} that lets the API server trust the injector's certificate. */
  String caBundle() {
    return Base64.getEncoder().encodeToString(cert.rootPem().getBytes(StandardCharsets.UTF_8));
  }

  /** Registers the recommended MutatingWebhookConfiguration, pointing at this injector. */
  void register(KubeApiServer kube) {
    try (var client = kube.client()) {
      client.resource(WebhookConfigurations.mutatingWebhookConfiguration("sluice-injector",
          new WebhookClientConfigBuilder().withUrl(url()).withCaBundle(caBundle()).build(), "sluice-system", "Fail"))
          .create();
    }
  }

  @Override
  public void close() {
    app.close();
  }
}
