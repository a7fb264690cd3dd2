package dev.sluice.injector.inject;

/**
 * How the proxy runs beside the app.
 *
 * <ul>
 *   <li>{@link #NATIVE} (the default): an init container with {@code restartPolicy: Always}, a
 *       Kubernetes native sidecar (1.29 and later). The kubelet starts the app only after the
 *       proxy's startup probe passes, and stops the proxy after the main containers exit, so Jobs
 *       complete.
 *   <li>{@link #CLASSIC}: the first entry of {@code containers}. Works on any Kubernetes, but the app
 *       may start before the proxy is ready, and a Job's pod never completes while the proxy runs.
 * </ul>
 *
 * The setting also takes {@code auto}, resolved once at start to one of these from the API server's
 * version (see {@code SidecarModes} in the application package).
 */
public enum SidecarMode {
  NATIVE,
  CLASSIC;

  String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
