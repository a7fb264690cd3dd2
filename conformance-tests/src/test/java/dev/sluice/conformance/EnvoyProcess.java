package dev.sluice.conformance;

/** A running Envoy, local or in a container: its output, and how to stop it. */
interface EnvoyProcess extends AutoCloseable {
  /** What Envoy wrote to standard output so far: the access log. */
  String stdout();

  /** Everything Envoy wrote so far, for failure messages. */
  String logs();

  @Override
  void close();
}
