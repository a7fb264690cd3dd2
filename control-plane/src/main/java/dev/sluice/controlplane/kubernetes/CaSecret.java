package dev.sluice.controlplane.kubernetes;

import dev.sluice.controlplane.ca.CaConfigurationException;
import dev.sluice.controlplane.ca.CaProperties;
import dev.sluice.controlplane.ca.RootKeeper;
import dev.sluice.controlplane.ca.RootPem;
import dev.sluice.controlplane.tokens.SigningKeyKeeper;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes mode keeps the generated CA root and the bootstrap-token signing key in one Secret in
 * the control plane's namespace ({@code sluice.kubernetes.namespace}/{@code ca-secret}), so every
 * replica signs with the same root and checks tokens with the same key. The first replica to start
 * makes it; see {@link SharedSecret} for the race. With a plugged-in CA the root is neither made nor
 * read; the Secret then holds the token key alone until a start without one needs a root.
 */
final class CaSecret implements RootKeeper, SigningKeyKeeper {
  static final String ROOT_CERT = "root-cert.pem";
  static final String ROOT_KEY = "root-key.pem";
  static final String TOKEN_KEY = "token-signing.key";
  private static final Set<String> ALL = Set.of(ROOT_CERT, ROOT_KEY, TOKEN_KEY);

  private final SharedSecret secret;
  private final CaProperties ca;
  private final Clock clock;

  CaSecret(SharedSecret secret, CaProperties ca, Clock clock) {
    this.secret = secret;
    this.ca = ca;
    this.clock = clock;
  }

  @Override
  public RootPem loadOrGenerate() {
    Map<String, byte[]> data = secret.ensure(ALL, this::generate);
    return new RootPem(ascii(data.get(ROOT_CERT)), ascii(data.get(ROOT_KEY)), "Secret " + secret);
  }

  @Override
  public byte[] loadOrCreate() {
    // Made together with the root on a first start, so the Secret is written once.
    return secret.ensure(ca.pluggedIn() ? Set.of(TOKEN_KEY) : ALL, this::generate).get(TOKEN_KEY);
  }

  private Map<String, byte[]> generate(Set<String> missing) {
    Map<String, byte[]> made = new LinkedHashMap<>();
    if (missing.contains(ROOT_CERT) != missing.contains(ROOT_KEY)) {
      throw new CaConfigurationException("Secret " + secret + " is incomplete: it holds "
          + (missing.contains(ROOT_CERT) ? ROOT_KEY + " but not " + ROOT_CERT : ROOT_CERT + " but not " + ROOT_KEY)
          + ". Restore the missing key, or remove both to generate a new root (every proxy then needs the new trust bundle)");
    }
    if (missing.contains(ROOT_CERT)) {
      RootPem root = RootPem.generate(ca, clock, "Secret " + secret);
      made.put(ROOT_CERT, root.certificatePem().getBytes(StandardCharsets.US_ASCII));
      made.put(ROOT_KEY, root.keyPem().getBytes(StandardCharsets.US_ASCII));
    }
    if (missing.contains(TOKEN_KEY)) {
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      made.put(TOKEN_KEY, key);
    }
    return made;
  }

  private static String ascii(byte[] bytes) {
    return new String(bytes, StandardCharsets.US_ASCII);
  }

  @Override
  public String toString() {
    return "CaSecret[" + secret + "]";
  }
}
