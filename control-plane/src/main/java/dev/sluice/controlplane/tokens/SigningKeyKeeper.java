package dev.sluice.controlplane.tokens;

/**
 * Keeps the bootstrap-token signing key somewhere every replica reads, instead of
 * {@code <sluice.store.path>/tokens/signing.key}: in Kubernetes mode a Secret. A bean of this type
 * switches the file off.
 */
@FunctionalInterface
public interface SigningKeyKeeper {
  /** At least 256 bits; made and kept first when there is none yet. */
  byte[] loadOrCreate();
}
