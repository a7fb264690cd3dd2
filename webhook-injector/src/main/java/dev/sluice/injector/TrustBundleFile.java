package dev.sluice.injector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sluice's root certificates from a PEM file (typically a mounted ConfigMap), read again whenever its
 * modification time or size changes: checked with one {@code stat} per injected pod, so a rotated
 * bundle reaches the next pod. Unreadable, or holding no certificate: {@link UncheckedIOException},
 * and the pod is denied with the reason. Thread-safe; the PEM is never logged.
 */
final class TrustBundleFile implements Supplier<String> {
  private static final Logger log = LoggerFactory.getLogger(TrustBundleFile.class);
  private final Path file;
  private record Cached(FileTime modified, long size, String pem) {}
  private volatile Cached cached;

  TrustBundleFile(Path file) {
    this.file = file;
  }

  @Override
  public String get() {
    try {
      FileTime modified = Files.getLastModifiedTime(file);
      long size = Files.size(file);
      Cached c = cached;
      if (c != null && c.modified.equals(modified) && c.size == size) {
        return c.pem;
      }
      String pem = Files.readString(file);
      if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
        throw new IOException(file + " holds no PEM certificate");
      }
      cached = new Cached(modified, size, pem);
      log.info("trust bundle {} (re)read: {} certificate(s)", file, pem.split("-----BEGIN CERTIFICATE-----").length - 1);
      return pem;
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage() == null ? file.toString() : e.getMessage(), e);
    }
  }
}
