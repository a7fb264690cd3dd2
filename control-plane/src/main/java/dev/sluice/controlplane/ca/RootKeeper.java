package dev.sluice.controlplane.ca;

/**
 * Keeps the generated root somewhere every replica reads, instead of {@code <sluice.store.path>/ca/}:
 * in Kubernetes mode a Secret. A bean of this type switches the store folder off for the root; a
 * plugged-in CA ({@code sluice.ca.cert-file}) still wins over it.
 */
@FunctionalInterface
public interface RootKeeper {
  /** The kept root; generated and kept first when there is none yet. */
  RootPem loadOrGenerate();
}
