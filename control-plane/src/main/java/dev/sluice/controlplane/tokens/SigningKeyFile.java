package dev.sluice.controlplane.tokens;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The token signing key: 256 random bits in a file only the control plane's user can read. */
final class SigningKeyFile {
  private static final Logger log = LoggerFactory.getLogger(SigningKeyFile.class);
  private SigningKeyFile() {}

  static byte[] loadOrCreate(Path file) {
    try {
      if (Files.exists(file)) {
        warnIfReadableByOthers(file);
        byte[] key = Files.readAllBytes(file);
        if (key.length < 32) {
          throw new IllegalStateException("the token signing key " + file.toAbsolutePath()
              + " is shorter than 256 bits; delete it to make a new one (every token minted with it stops holding)");
        }
        return key;
      }
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      Path tmp = Files.createTempFile(dir, ".signing", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(tmp, key);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the token signing key " + file.toAbsolutePath(), e);
    }
  }

  private static void warnIfReadableByOthers(Path file) {
    try {
      var permissions = Files.getPosixFilePermissions(file);
      if (!PosixFilePermissions.fromString("rw-------").containsAll(permissions)) {
        log.warn("the token signing key {} is readable beyond its owner ({}); chmod 600 it",
            file.toAbsolutePath(), PosixFilePermissions.toString(permissions));
      }
    } catch (UnsupportedOperationException | IOException e) {
      log.debug("cannot read the permissions of {}: {}", file, e.toString());
    }
  }
}
