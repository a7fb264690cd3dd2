package dev.sluice.controlplane.ca;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * A generated root as PEM text, the form in which it is kept outside this process (a Kubernetes
 * Secret). {@link #toString()} names where it is kept, never the key.
 *
 * @param certificatePem the self-signed root certificate
 * @param keyPem its private key (PKCS#8)
 * @param keptIn where it is kept, e.g. {@code Secret sluice-system/sluice-ca}; names the material in errors
 */
public record RootPem(String certificatePem, String keyPem, String keptIn) {
  public RootPem {
    Objects.requireNonNull(certificatePem, "certificatePem");
    Objects.requireNonNull(keyPem, "keyPem");
    Objects.requireNonNull(keptIn, "keptIn");
  }

  /** A new root, as {@link CaRoot#generate} makes it, in PEM. */
  public static RootPem generate(CaProperties properties, Clock clock, String keptIn) {
    CaRoot root = RootStore.generate(properties, clock, new SecureRandom());
    return new RootPem(Pem.certificates(List.of(root.signingCertificate())), Pem.privateKey(root.signingKey()), keptIn);
  }

  @Override
  public String toString() {
    return "RootPem[" + keptIn + "]";
  }
}
