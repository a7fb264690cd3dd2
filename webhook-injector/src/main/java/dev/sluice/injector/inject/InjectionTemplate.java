package dev.sluice.injector.inject;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one template of what is injected: the {@code sluice-proxy} Envoy container, the
 * {@code sluice-init} capture container and their two volumes. Bump {@link #VERSION} whenever the
 * injected shape changes: it is recorded in {@code sluice.dev/status}. Version 2 moves the app's
 * HTTP probes to the sidecar ({@link ProbeRewrites}) and records them in the status.
 */
public final class InjectionTemplate {
  /** The version of this template, recorded in every pod's {@code sluice.dev/status}. */
  public static final String VERSION = "2";
  public static final String PROXY = "sluice-proxy";
  public static final String INIT = "sluice-init";
  public static final String TOKEN_VOLUME = "sluice-token";
  public static final String ENVOY_VOLUME = "sluice-envoy";
  /** The env explicit capture gives each app container. */
  public static final String PROXY_ENV = "SLUICE_PROXY";
  public static final String PROXY_ENV_VALUE = "http://127.0.0.1:" + CaptureRules.OUTBOUND_PORT;
  static final long PROXY_UID = CaptureRules.PROXY_UID;

  private InjectionTemplate() {}

  static List<Volume> volumes() {
    Volume token = new VolumeBuilder().withName(TOKEN_VOLUME)
        .withNewProjected().addNewSource().withNewServiceAccountToken()
        .withAudience("sluice").withExpirationSeconds(3600L).withPath("token")
        .endServiceAccountToken().endSource().endProjected().build();
    Volume envoy = new VolumeBuilder().withName(ENVOY_VOLUME).withNewEmptyDir().withMedium("Memory").endEmptyDir()
        .build();
    return List.of(token, envoy);
  }

  static Container proxy(PodOptions options, SidecarMode mode, String bootstrapJson) {
    Map<String, Quantity> requests = new LinkedHashMap<>();
    requests.put("cpu", new Quantity(options.cpu()));
    requests.put("memory", new Quantity(options.memory()));
    Map<String, Quantity> limits = new LinkedHashMap<>();
    options.cpuLimit().ifPresent(q -> limits.put("cpu", new Quantity(q)));
    options.memoryLimit().ifPresent(q -> limits.put("memory", new Quantity(q)));
    ContainerBuilder b = new ContainerBuilder().withName(PROXY).withImage(options.proxyImage())
        .withArgs("--config-yaml", bootstrapJson, "--disable-hot-restart", "--log-level", options.logLevel())
        .withEnv(new EnvVarBuilder().withName("POD_NAME").withNewValueFrom().withNewFieldRef()
            .withFieldPath("metadata.name").endFieldRef().endValueFrom().build())
        .addNewPort().withName("sluice-health").withContainerPort(SidecarBootstrap.HEALTH_PORT)
        .withProtocol("TCP").endPort()
        .withStartupProbe(probe(1, 600))
        .withReadinessProbe(probe(5, 3))
        .withResources(new ResourceRequirementsBuilder().withRequests(requests)
            .withLimits(limits.isEmpty() ? null : limits).build())
        .withNewSecurityContext().withRunAsUser(PROXY_UID).withRunAsGroup(PROXY_UID).withRunAsNonRoot(true)
        .withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
        .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
        .addNewVolumeMount().withName(TOKEN_VOLUME).withMountPath("/var/run/secrets/sluice").withReadOnly(true)
        .endVolumeMount()
        .addNewVolumeMount().withName(ENVOY_VOLUME).withMountPath("/var/lib/sluice").endVolumeMount();
    if (mode == SidecarMode.NATIVE) {
      b.withRestartPolicy("Always");
    }
    return b.build();
  }

  static Container init(String image, CaptureRules rules) {
    return new ContainerBuilder().withName(INIT).withImage(image)
        .withCommand("sh", "-c", rules.script())
        .withNewSecurityContext().withRunAsUser(0L).withRunAsNonRoot(false)
        .withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
        .withNewCapabilities().withAdd("NET_ADMIN", "NET_RAW").withDrop("ALL").endCapabilities()
        .endSecurityContext()
        // The root file system is read-only; iptables-legacy takes its lock in /run/xtables.lock.
        .addNewVolumeMount().withName(ENVOY_VOLUME).withMountPath("/run").endVolumeMount()
        .build();
  }

  static EnvVar proxyEnv() {
    return new EnvVarBuilder().withName(PROXY_ENV).withValue(PROXY_ENV_VALUE).build();
  }

  private static Probe probe(int periodSeconds, int failureThreshold) {
    return new ProbeBuilder().withNewHttpGet().withPath("/healthz/ready")
        .withPort(new IntOrString(SidecarBootstrap.HEALTH_PORT)).endHttpGet()
        .withPeriodSeconds(periodSeconds).withFailureThreshold(failureThreshold).build();
  }
}
