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
        Files.createDirectories(file.toAbsolutePath().getParent());
        String token = TokenHash.newToken(random);
        try {
          Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
          Files.writeString(file, token + "\n", StandardCharsets.US_ASCII);
          log.info("no API token is configured: wrote the admin token to {} (readable by its owner only); "
              + "send it as 'Authorization: Bearer <token>'", file.toAbsolutePath());
          return token;
        } catch (FileAlreadyExistsException e) {
          // Made meanwhile by another process on the same store: read it below.
        }
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
