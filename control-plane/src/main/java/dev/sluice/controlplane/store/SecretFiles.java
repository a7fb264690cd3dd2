package dev.sluice.controlplane.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Key material in the store folder (the CA key, the token signing key): folders 0700, files created
 * with their final mode before a byte is written, as fsynced temp files moved into place atomically.
 * Where the file system has no POSIX permissions, its own access control must protect them.
 */
public final class SecretFiles {
  private static final Logger log = LoggerFactory.getLogger(SecretFiles.class);
  public static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
  public static final Set<PosixFilePermission> PUBLIC_FILE = PosixFilePermissions.fromString("rw-r--r--");
  private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

  private SecretFiles() {}

  /** Creates the folder (and its parents) owner-only; false when the file system has no POSIX permissions. */
  public static boolean ownerOnlyFolder(Path folder) throws IOException {
    Files.createDirectories(folder.toAbsolutePath().getParent());
    if (!folder.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.createDirectories(folder);
      return false;
    }
    if (!Files.isDirectory(folder)) {
      Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
    }
    Files.setPosixFilePermissions(folder, OWNER_ONLY_DIR); // whatever the umask or an older folder said
    return true;
  }

  /**
   * A temp file in {@code folder} created with {@code permissions} (none: the file system's
   * default), written and fsynced; deleted again on failure.
   */
  public static Path writeTemp(Path folder, byte[] content, Set<PosixFilePermission> permissions) throws IOException {
    FileAttribute<?>[] attributes = permissions == null ? new FileAttribute<?>[0]
        : new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)};
    Path temp = Files.createTempFile(folder, ".secret-", ".tmp", attributes);
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      ByteBuffer bytes = ByteBuffer.wrap(content);
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    return temp;
  }

  /** Writes one owner-only file atomically: in an owner-only folder, a 0600 temp file moved into place. */
  public static void writeOwnerOnly(Path file, byte[] content) throws IOException {
    Path folder = file.toAbsolutePath().getParent();
    boolean posix = ownerOnlyFolder(folder);
    Files.move(writeTemp(folder, content, posix ? OWNER_ONLY_FILE : null), file, StandardCopyOption.ATOMIC_MOVE);
    syncFolder(folder);
  }

  /** Makes renames durable; some file systems cannot open a folder for sync, which is fine. */
  public static void syncFolder(Path folder) {
    try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      log.debug("cannot fsync {}: {}", folder, e.toString());
    }
  }

  /** Warns when a key file can be read by anyone but its owner; {@code what} names it for the operator. */
  public static void warnIfReadableByOthers(Path file, String what) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      if (!OWNER_ONLY_FILE.containsAll(permissions)) {
        log.warn("{} {} is readable beyond its owner ({}); chmod 600 it", what, file.toAbsolutePath(),
            PosixFilePermissions.toString(permissions));
      }
    } catch (UnsupportedOperationException | IOException e) {
      log.debug("cannot read the permissions of {}: {}", file, e.toString());
    }
  }
}
