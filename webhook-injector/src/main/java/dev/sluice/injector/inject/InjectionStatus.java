package dev.sluice.injector.inject;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What was injected, recorded in the pod's {@code sluice.dev/status} annotation as compact JSON:
 * {@code {"version":"1","mode":"native","capture":"iptables","initContainers":[..],"containers":[..],
 * "volumes":[..],"inboundPorts":[..]}}. Its presence marks a pod as injected.
 */
record InjectionStatus(SidecarMode mode, CaptureMode capture, List<String> initContainers,
    List<String> containers, List<String> volumes, List<Integer> inboundPorts) {

  InjectionStatus {
    initContainers = List.copyOf(initContainers);
    containers = List.copyOf(containers);
    volumes = List.copyOf(volumes);
    inboundPorts = List.copyOf(inboundPorts);
  }

  String json() {
    ObjectNode status = Json.object().put("version", InjectionTemplate.VERSION)
        .put("mode", mode.label()).put("capture", capture.label());
    initContainers.forEach(status.putArray("initContainers")::add);
    containers.forEach(status.putArray("containers")::add);
    volumes.forEach(status.putArray("volumes")::add);
    inboundPorts.forEach(status.putArray("inboundPorts")::add);
    return Json.write(status);
  }
}
