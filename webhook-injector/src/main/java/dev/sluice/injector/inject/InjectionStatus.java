package dev.sluice.injector.inject;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What was injected, recorded in the pod's {@code sluice.dev/status} annotation as compact JSON:
 * {@code {"version":"2","mode":"native","capture":"iptables","initContainers":[..],"containers":[..],
 * "volumes":[..],"inboundPorts":[..],"probes":{"app/readyz":"8080 /healthz",..}}}. Its presence marks
 * a pod as injected.
 *
 * @param inboundPorts the ports captured inbound; none in capture mode {@code explicit}
 * @param probes the kubelet probes moved to the sidecar ({@link ProbeRewrites}): {@code
 *     <container>/<livez|readyz|startupz>} to {@code <app port> <original path>}, in key order
 */
record InjectionStatus(SidecarMode mode, CaptureMode capture, List<String> initContainers,
    List<String> containers, List<String> volumes, List<Integer> inboundPorts, Map<String, String> probes) {

  InjectionStatus {
    initContainers = List.copyOf(initContainers);
    containers = List.copyOf(containers);
    volumes = List.copyOf(volumes);
    inboundPorts = List.copyOf(inboundPorts);
    probes = Map.copyOf(probes);
  }

  String json() {
    ObjectNode status = Json.object().put("version", InjectionTemplate.VERSION)
        .put("mode", mode.label()).put("capture", capture.label());
    initContainers.forEach(status.putArray("initContainers")::add);
    containers.forEach(status.putArray("containers")::add);
    volumes.forEach(status.putArray("volumes")::add);
    inboundPorts.forEach(status.putArray("inboundPorts")::add);
    ObjectNode moved = status.putObject("probes");
    new TreeMap<>(probes).forEach(moved::put);
    return Json.write(status);
  }
}
