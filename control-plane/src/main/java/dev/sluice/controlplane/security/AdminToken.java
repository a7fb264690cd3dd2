package dev.sluice.controlplane.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin token of a standalone control plane started without any API token: made once, written to
 * a file only its owner may read (0600), read again on later starts. Sluice keeps only its salted
 * hash; the log names the file, never the token.
 */
final class AdminToken {
  static final String NAME = "admin";
  private static final Logger log = LoggerFactory.getLogger(AdminToken.class);

  private AdminToken() {}

  /** The token in {@code file}, made first when the file does not exist. */
  static String loadOrCreate(Path file, SecureRandom random) {
    try {
      if (!Files.exists(file)) {
        Path folder = file.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        String token = TokenHash.newToken(random);
        // Written whole into a file only its owner may read, then linked into place: no reader ever sees
        // a partial token or a wider mode, and of two processes starting at once one wins.
        Path temporary = Files.createTempFile(folder, ".admin-token", ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temporary, token + "\n", StandardCharsets.US_ASCII);
        try {
          Files.createLink(file, temporary); // link(2): fails if the file exists, never replaces it
          Files.delete(temporary);
          log.info("no API token is configured: wrote the admin token to {} (readable by its owner only); "
              + "send it as 'Authorization: Bearer <token>'", file.toAbsolutePath());
          return token;
        } catch (FileAlreadyExistsException e) {
          Files.deleteIfExists(temporary); // made meanwhile by another process on the same store: read that one
        }
      }
      var mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
      if (!mode.endsWith("------")) {
        log.warn("the admin token file {} is readable by others (mode {}): chmod 600 it", file.toAbsolutePath(), mode);
      }
      String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
      if (!token.startsWith(TokenHash.PREFIX) || token.length() < 40) {
        throw new IllegalStateException("sluice.api.admin-token-file " + file.toAbsolutePath()
            + " does not hold a Sluice token; delete it to have a new one made");
      }
      log.info("no API token is configured: the admin token is the one in {}", file.toAbsolutePath());
      return token;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write sluice.api.admin-token-file " + file.toAbsolutePath(), e);
    }
  }
}
