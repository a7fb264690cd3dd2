package dev.sluice.injector.inject;

import java.util.Optional;

/**
 * One kubelet HTTP probe of an app container that the injection moves to the sidecar's health port
 * ({@link SidecarBootstrap#HEALTH_PORT}), where Envoy forwards it in plain text to the app: found and
 * rewritten by {@link ProbeRewrites}, served by one route of the bootstrap's health listener, recorded
 * in {@code sluice.dev/status}.
 *
 * @param container the app container's name
 * @param index the container's index in {@code spec.containers}
 * @param kind which of its probes
 * @param port the app port the probe asked, a named port already resolved
 * @param path the path the probe asked, with its query, always starting with {@code /}
 * @param host {@code httpGet.host}, to be sent to the app as its Host, when the probe set one and no
 *     {@code Host} in {@code httpHeaders}
 */
record AppProbe(String container, int index, Kind kind, int port, String path, Optional<String> host) {
  /** The prefix of every rewritten probe's path on the health port. */
  static final String PATH_PREFIX = "/app-health/";

  /** The three kubelet probes, by their field in the container and their name on the health port. */
  enum Kind {
    LIVENESS("livenessProbe", "livez"),
    READINESS("readinessProbe", "readyz"),
    STARTUP("startupProbe", "startupz");

    final String field;
    final String suffix;

    Kind(String field, String suffix) {
      this.field = field;
      this.suffix = suffix;
    }
  }

  /** {@code /app-health/<container>/<livez|readyz|startupz>}: what the kubelet asks of the sidecar instead. */
  String healthPath() {
    return PATH_PREFIX + container + "/" + kind.suffix;
  }

  /** The bootstrap's view of this probe: its route on the health listener. */
  SidecarBootstrap.HealthRoute route() {
    return new SidecarBootstrap.HealthRoute(healthPath(), port, path, host);
  }

  /** Key in the status annotation's {@code probes}: {@code <container>/<kind>}. */
  String statusKey() {
    return container + "/" + kind.suffix;
  }

  /** Value in the status annotation's {@code probes}: {@code <port> <path>}. */
  String statusValue() {
    return port + " " + path;
  }
}
