package dev.sluice.injector.inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The JSON Patch that injects one pod, already judged injectable by {@link Injector}: the status
 * annotation and label, the volumes, explicit capture's env, the moved probes ({@link ProbeRewrites}),
 * then the containers. Operations that address the pod's own containers by index come before those
 * that insert containers ahead of them. Pure.
 */
final class InjectionPatch {
  private InjectionPatch() {}

  static JsonPatch of(PodView pod, PodOptions options, InjectorSettings settings, String pem) {
    SidecarMode mode = settings.sidecarMode();
    List<AppProbe> probes = options.capture() == CaptureMode.IPTABLES && options.rewriteProbes()
        ? ProbeRewrites.find(pod, options.inboundPorts()) : List.of();
    SidecarBootstrap bootstrap = new SidecarBootstrap(pod.namespace(), pod.serviceAccount(), options.inboundPorts(),
        probes.stream().map(AppProbe::route).toList(), settings.xdsHost(), settings.xdsPort(),
        settings.xdsServerName(), pem);
    Container proxy = InjectionTemplate.proxy(options, mode, bootstrap.json());
    List<Container> inits = new ArrayList<>();
    if (options.capture() == CaptureMode.IPTABLES) {
      inits.add(InjectionTemplate.init(settings.captureImage(), new CaptureRules(options.inboundPorts(),
          options.excludedOutboundPorts(), options.excludedOutboundCidrs())));
    }
    List<Container> containers = new ArrayList<>();
    (mode == SidecarMode.NATIVE ? inits : containers).add(proxy);
    List<Volume> volumes = InjectionTemplate.volumes();
    InjectionStatus status = new InjectionStatus(mode, options.capture(), names(inits), names(containers),
        volumes.stream().map(Volume::getName).toList(), options.inboundPorts(),
        probes.stream().collect(Collectors.toMap(AppProbe::statusKey, AppProbe::statusValue)));

    JsonNode meta = pod.metadata();
    JsonNode spec = pod.spec();
    JsonPatch patch = new JsonPatch()
        .putAll(meta.get("annotations"), "/metadata/annotations",
            Map.of(Annotations.STATUS, Json.MAPPER.getNodeFactory().textNode(status.json())))
        .putAll(meta.get("labels"), "/metadata/labels",
            Map.of(Annotations.INJECTED, Json.MAPPER.getNodeFactory().textNode("true")))
        .append(spec.get("volumes"), "/spec/volumes", trees(volumes));
    if (options.capture() == CaptureMode.EXPLICIT) {
      explicitEnv(pod, patch);
    }
    ProbeRewrites.patch(pod, probes, patch);
    return patch
        .prepend(spec.get("initContainers"), "/spec/initContainers", trees(inits))
        .prepend(spec.get("containers"), "/spec/containers", trees(containers));
  }

  /** {@code SLUICE_PROXY} for every app container that does not set it. */
  private static void explicitEnv(PodView pod, JsonPatch patch) {
    JsonNode containers = pod.spec().path("containers");
    for (int i = 0; i < containers.size(); i++) {
      JsonNode env = containers.get(i).get("env");
      boolean set = false;
      if (env != null) {
        for (JsonNode e : env) {
          set |= e.path("name").asText("").equals(InjectionTemplate.PROXY_ENV);
        }
      }
      if (!set) {
        patch.append(env, "/spec/containers/" + i + "/env", List.of(Json.tree(InjectionTemplate.proxyEnv())));
      }
    }
  }

  private static List<String> names(List<Container> containers) {
    return containers.stream().map(Container::getName).toList();
  }

  private static List<JsonNode> trees(List<?> values) {
    return values.stream().map(Json::tree).toList();
  }
}
