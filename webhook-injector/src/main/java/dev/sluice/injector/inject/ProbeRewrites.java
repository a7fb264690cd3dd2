package dev.sluice.injector.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Which kubelet probes the injection moves to the sidecar, and what they become.
 *
 * <p><b>Why.</b> Under iptables capture the kubelet's probe to a captured app port is redirected to
 * the sidecar's inbound listener (15006), which under {@code tls.mode: MUTUAL} refuses plain text:
 * the pod would never become Ready (or be restarted for failing liveness). So a probe that is
 * <ul>
 *   <li>of an app container ({@code spec.containers}, never {@code sluice-proxy}; init containers are
 *       not the app),
 *   <li>{@code httpGet} with scheme {@code HTTP} or none,
 *   <li>to a port captured inbound: a number, or a name of that container's own {@code ports},
 * </ul>
 * is asked of the sidecar's health port instead: {@code httpGet} port 15021, path
 * {@code /app-health/<container>/<livez|readyz|startupz>}, its {@code httpHeaders}, scheme and
 * timings kept. Its {@code host} is dropped, as the kubelet must reach the sidecar at the pod's IP;
 * Envoy sends it to the app as the Host instead ({@link AppProbe#host}). The sidecar's static route
 * forwards the probe to {@code 127.0.0.1:<port>} with the original path and query, in plain text,
 * from uid 1337, which the outbound capture lets through.
 *
 * <p><b>Left alone</b>, on purpose:
 * <ul>
 *   <li>{@code httpGet} with scheme {@code HTTPS}: forwarding it would need the sidecar to originate
 *       TLS to the app with the app's own trust, which it has no configuration for;
 *   <li>{@code tcpSocket}: under capture Envoy's inbound listener accepts the connection itself, so
 *       the probe always passes, rewritten or not; it says nothing about the app either way;
 *   <li>{@code grpc}: the kubelet speaks gRPC health checking in plain text; under MUTUAL, exclude its
 *       port with {@code sluice.dev/exclude-inbound-ports};
 *   <li>{@code exec}: runs inside the container, no network.
 * </ul>
 * A probe to a port not captured (excluded, or a name the container does not declare) is left alone
 * too. Pure and stateless.
 */
final class ProbeRewrites {
  private ProbeRewrites() {}

  /** The probes to move, in container order, then liveness, readiness, startup. */
  static List<AppProbe> find(PodView pod, List<Integer> capturedPorts) {
    List<AppProbe> found = new ArrayList<>();
    JsonNode containers = pod.spec().path("containers");
    for (int i = 0; i < containers.size(); i++) {
      JsonNode container = containers.get(i);
      String name = container.path("name").asText("");
      if (name.isEmpty() || name.equals(InjectionTemplate.PROXY)) {
        continue;
      }
      for (AppProbe.Kind kind : AppProbe.Kind.values()) {
        JsonNode get = container.path(kind.field).path("httpGet");
        if (!get.isObject() || !get.path("scheme").asText("HTTP").equals("HTTP")) {
          continue;
        }
        OptionalInt port = port(container, get.path("port"));
        if (port.isPresent() && capturedPorts.contains(port.getAsInt())) {
          found.add(new AppProbe(name, i, kind, port.getAsInt(), path(get), host(get)));
        }
      }
    }
    return List.copyOf(found);
  }

  /** One {@code replace} of each probe, by its path in the pod as it is (before any container is inserted). */
  static void patch(PodView pod, List<AppProbe> probes, JsonPatch patch) {
    for (AppProbe probe : probes) {
      JsonNode original = pod.spec().path("containers").path(probe.index()).path(probe.kind().field);
      patch.replace("/spec/containers/" + probe.index() + "/" + probe.kind().field, rewritten(original, probe));
    }
  }

  /** The probe asked of the sidecar: the original with only {@code httpGet}'s port, path and host changed. */
  static ObjectNode rewritten(JsonNode original, AppProbe probe) {
    ObjectNode copy = original.deepCopy();
    ObjectNode get = (ObjectNode) copy.get("httpGet");
    get.remove("host");
    get.put("path", probe.healthPath());
    get.put("port", SidecarBootstrap.HEALTH_PORT);
    return copy;
  }

  /** The port number: a number as is, a name from this container's {@code ports}; empty if neither. */
  private static OptionalInt port(JsonNode container, JsonNode port) {
    if (port.isIntegralNumber()) {
      return OptionalInt.of(port.asInt());
    }
    if (port.isTextual()) {
      for (JsonNode p : container.path("ports")) {
        if (p.path("name").asText("").equals(port.asText()) && p.path("containerPort").isIntegralNumber()) {
          return OptionalInt.of(p.path("containerPort").asInt());
        }
      }
    }
    return OptionalInt.empty();
  }

  /** The path the kubelet would ask: {@code /} when unset, a leading {@code /} added as it adds one. */
  private static String path(JsonNode get) {
    String path = get.path("path").asText("");
    return path.startsWith("/") ? path : "/" + path;
  }

  /** {@code httpGet.host}, unless the probe sends a Host header of its own, which would win at the app. */
  private static Optional<String> host(JsonNode get) {
    String host = get.path("host").asText("");
    for (JsonNode header : get.path("httpHeaders")) {
      if (header.path("name").asText("").equalsIgnoreCase("host")) {
        return Optional.empty();
      }
    }
    return host.isEmpty() ? Optional.empty() : Optional.of(host);
  }
}
