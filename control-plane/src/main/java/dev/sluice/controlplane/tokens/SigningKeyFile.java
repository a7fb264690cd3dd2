package dev.sluice.controlplane.tokens;

import dev.sluice.controlplane.store.SecretFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/** The token signing key: 256 random bits in a file only the control plane's user can read. */
final class SigningKeyFile {
  private SigningKeyFile() {}

  static byte[] loadOrCreate(Path file) {
    try {
      if (Files.exists(file)) {
        SecretFiles.warnIfReadableByOthers(file, "the token signing key");
        byte[] key = Files.readAllBytes(file);
        if (key.length < 32) {
          throw new IllegalStateException("the token signing key " + file.toAbsolutePath()
              + " is shorter than 256 bits; delete it to make a new one (every token minted with it stops holding)");
        }
        return key;
      }
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      SecretFiles.writeOwnerOnly(file, key);
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the token signing key " + file.toAbsolutePath(), e);
    }
  }
}
