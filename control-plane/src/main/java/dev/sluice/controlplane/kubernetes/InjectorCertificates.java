package dev.sluice.controlplane.kubernetes;

import dev.sluice.controlplane.ca.CertificateAuthority;
import dev.sluice.controlplane.ca.IssuedCertificate;
import dev.sluice.controlplane.ca.ServingCertificateCheck;
import dev.sluice.controlplane.ca.WorkloadIdentity;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar injector's certificates without cert-manager ({@code sluice.kubernetes.injector.*}):
 * on the leader only, each round makes sure that
 * <ol>
 *   <li>the ConfigMap {@code trust-bundle-config-map} holds the CA's trust bundle under {@code ca.crt}
 *       (the injector mounts it as its trust-bundle-file; written in cert-manager mode too);</li>
 *   <li>every webhook of the MutatingWebhookConfiguration {@code webhook-configuration} has
 *       {@code clientConfig.caBundle} = base64 of that bundle (one JSON patch, each changed webhook
 *       guarded by a {@code test} of its name); a configuration that does not exist is left alone,
 *       reported once at INFO (Helm may install it later);</li>
 *   <li>the {@code kubernetes.io/tls} Secret {@code tls-secret} holds a serving certificate for the
 *       Service's DNS names that chains to the current trust bundle and is not past half its life
 *       ({@link ServingCertificateCheck}); otherwise one is issued ({@code sluice.ca.workload-ttl}) and
 *       the Secret created or replaced.</li>
 * </ol>
 * The trust bundle goes first, so after a root rotation the API server trusts the new root as soon
 * as the injector serves a certificate from it. Each round is idempotent; writes of existing objects
 * carry the resourceVersion read, so a concurrent writer wins and the next round checks again. A
 * piece that fails logs one WARN line naming its object; the next round retries. A round runs every
 * {@code check-interval} and at once when this replica becomes leader.
 *
 * <p>The certificate's SPIFFE ID is {@code ns/<sluice.kubernetes.namespace>/sa/<service>}: the
 * Service's name stands for the injector's identity, so no further property is needed; the API server
 * checks only the DNS names.
 *
 * <p>RBAC: exactly what the chart grants, and no other verb is used. Secrets: {@code create} in the
 * namespace, {@code get} and {@code update} with {@code resourceNames: [sluice-ca, sluice-injector-tls]}
 * (Role). ConfigMaps: {@code get}, {@code create}, {@code update} (ClusterRole, already granted for
 * revisions). {@code admissionregistration.k8s.io} mutatingwebhookconfigurations: {@code get},
 * {@code patch}, {@code update} with {@code resourceNames: [sluice-injector]} (ClusterRole).
 *
 * <p>Thread-safe: rounds are serialized by this object's lock. Logs never carry key material.
 */
final class InjectorCertificates implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(InjectorCertificates.class);
  static final String TLS_CERT = "tls.crt";
  static final String TLS_KEY = "tls.key";
  static final String CA_CERT = "ca.crt";
  private static final String TLS_TYPE = "kubernetes.io/tls";
  private static final Map<String, String> LABELS = Map.of("app.kubernetes.io/name", "sluice",
      "app.kubernetes.io/component", "control-plane");

  private final KubernetesClient client;
  private final String namespace;
  private final KubernetesProperties.Injector settings;
  private final CertificateAuthority ca;
  private final Clock clock;
  private final List<String> dnsNames;
  private volatile boolean leading;
  private volatile ScheduledExecutorService scheduler;
  private ScheduledFuture<?> rounds;
  /** Guarded by this: the missing configuration was reported, so it is not again until it appears. */
  private boolean reportedMissingWebhook;

  InjectorCertificates(KubernetesClient client, String namespace, KubernetesProperties.Injector settings,
      CertificateAuthority ca, Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.settings = settings;
    this.ca = ca;
    this.clock = clock;
    this.dnsNames = settings.enabled() ? dnsNames(settings.service(), namespace) : List.of();
  }

  /** {@code <svc>}, {@code <svc>.<ns>}, {@code <svc>.<ns>.svc}, {@code <svc>.<ns>.svc.cluster.local}. */
  static List<String> dnsNames(String service, String namespace) {
    return List.of(service, service + "." + namespace, service + "." + namespace + ".svc",
        service + "." + namespace + ".svc.cluster.local");
  }

  /** Runs a round every {@code check-interval} on {@code scheduler}; nothing when the feature is off. */
  void start(ScheduledExecutorService scheduler) {
    if (!settings.enabled()) {
      return;
    }
    this.scheduler = scheduler;
    long every = settings.checkInterval().toMillis();
    rounds = scheduler.scheduleWithFixedDelay(this::roundQuietly, every, every, TimeUnit.MILLISECONDS);
  }

  /** Leadership's callback: a replica that becomes leader runs a round at once rather than after the interval. */
  void leadershipChanged(boolean leadingNow) {
    leading = leadingNow;
    ScheduledExecutorService s = scheduler;
    if (leadingNow && s != null && !s.isShutdown()) {
      s.execute(this::roundQuietly);
    }
  }

  /** One round; does nothing unless this replica leads and the feature is on. */
  synchronized void round() {
    if (!leading || !settings.enabled()) {
      return;
    }
    String bundle = ca.trustBundlePem();
    guarded("ConfigMap " + namespace + "/" + settings.trustBundleConfigMap(), () -> keepTrustBundle(bundle));
    if (settings.patchesWebhook()) {
      guarded("MutatingWebhookConfiguration " + settings.webhookConfiguration(), () -> keepCaBundle(bundle));
    }
    if (settings.managesSecret()) {
      guarded("Secret " + namespace + "/" + settings.tlsSecret(), this::keepServingCertificate);
    }
  }

  private void keepTrustBundle(String bundle) {
    String name = settings.trustBundleConfigMap();
    ConfigMap current = client.configMaps().inNamespace(namespace).withName(name).get();
    if (current != null && current.getData() != null && bundle.equals(current.getData().get(CA_CERT))) {
      return;
    }
    if (current == null) {
      client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder()
          .withNewMetadata().withNamespace(namespace).withName(name).withLabels(LABELS).endMetadata()
          .withData(Map.of(CA_CERT, bundle)).build()).create();
    } else {
      // Keeps the resourceVersion read: refused (409) if someone changed it meanwhile.
      client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder(current).addToData(CA_CERT, bundle)
          .build()).update();
    }
    log.info("{} the trust bundle in ConfigMap {}/{} key {}", current == null ? "created" : "updated", namespace,
        name, CA_CERT);
  }

  private void keepCaBundle(String bundle) {
    String name = settings.webhookConfiguration();
    MutatingWebhookConfiguration current = client.admissionRegistration().v1().mutatingWebhookConfigurations()
        .withName(name).get();
    if (current == null) {
      if (!reportedMissingWebhook) {
        log.info("MutatingWebhookConfiguration {} does not exist (yet); its caBundle is patched once it does", name);
        reportedMissingWebhook = true;
      }
      return;
    }
    reportedMissingWebhook = false;
    String wanted = Base64.getEncoder().encodeToString(bundle.getBytes(StandardCharsets.US_ASCII));
    List<Map<String, Object>> patch = new ArrayList<>();
    List<String> patched = new ArrayList<>();
    List<MutatingWebhook> webhooks = current.getWebhooks() == null ? List.of() : current.getWebhooks();
    for (int i = 0; i < webhooks.size(); i++) {
      MutatingWebhook webhook = webhooks.get(i);
      if (webhook.getClientConfig() != null && wanted.equals(webhook.getClientConfig().getCaBundle())) {
        continue;
      }
      // The test makes the patch fail as a whole if the list changed since it was read.
      patch.add(Map.of("op", "test", "path", "/webhooks/" + i + "/name", "value", webhook.getName()));
      patch.add(Map.of("op", "add", "path", "/webhooks/" + i + "/clientConfig/caBundle", "value", wanted));
      patched.add(webhook.getName());
    }
    if (patch.isEmpty()) {
      return;
    }
    client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(name)
        .patch(PatchContext.of(PatchType.JSON), Serialization.asJson(patch));
    log.info("set the caBundle of webhooks {} of MutatingWebhookConfiguration {} to the trust bundle", patched, name);
  }

  private void keepServingCertificate() {
    String name = settings.tlsSecret();
    Secret current = client.secrets().inNamespace(namespace).withName(name).get();
    if (current != null && !TLS_TYPE.equals(current.getType())) {
      throw new IllegalStateException("it has type " + current.getType() + ", not " + TLS_TYPE
          + "; delete it so that it is made again");
    }
    Optional<String> reason = current == null ? Optional.of("missing")
        : ServingCertificateCheck.reasonToRenew(text(current, TLS_CERT), text(current, TLS_KEY), ca.trustBundle(),
            Set.copyOf(dnsNames), clock.instant());
    if (reason.isEmpty()) {
      return;
    }
    IssuedCertificate issued = ca.issueServer(new WorkloadIdentity(namespace, settings.service()), dnsNames,
        ca.properties().workloadTtl());
    Map<String, String> data = Map.of(
        TLS_CERT, base64(issued.certificateChainPem()),
        TLS_KEY, base64(issued.privateKeyPem()));
    if (current == null) {
      client.secrets().inNamespace(namespace).resource(new SecretBuilder()
          .withNewMetadata().withNamespace(namespace).withName(name).withLabels(LABELS).endMetadata()
          .withType(TLS_TYPE).withData(data).build()).create();
    } else {
      // Keeps the resourceVersion read: refused (409) if someone changed it meanwhile.
      client.secrets().inNamespace(namespace).resource(new SecretBuilder(current).withData(data).withStringData(null)
          .build()).update();
    }
    log.info("issued the injector's serving certificate into Secret {}/{} (serial {}, notAfter {}); the one there "
        + "was {}", namespace, name, issued.serialNumber().toString(16), issued.notAfter(), reason.get());
  }

  /** Runs one piece; a failure is one WARN line naming the object, and the next round retries. */
  private void guarded(String object, Runnable piece) {
    try {
      piece.run();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        log.info("{} was changed by another writer meanwhile; the next round checks it again", object);
      } else {
        log.warn("cannot keep {} current: HTTP {} {}; the next round retries", object, e.getCode(),
            e.getStatus() != null ? e.getStatus().getMessage() : e.getMessage());
      }
    } catch (RuntimeException e) {
      log.warn("cannot keep {} current: {}; the next round retries", object, e.getMessage());
    }
  }

  private void roundQuietly() {
    try {
      round();
    } catch (RuntimeException e) {
      log.warn("injector certificate round failed; the next one retries", e);
    }
  }

  private static String text(Secret secret, String key) {
    String value = secret.getData() == null ? null : secret.getData().get(key);
    if (value == null) {
      return null;
    }
    try {
      return new String(Base64.getDecoder().decode(value), StandardCharsets.US_ASCII);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public void close() {
    if (rounds != null) {
      rounds.cancel(false);
    }
  }
}
