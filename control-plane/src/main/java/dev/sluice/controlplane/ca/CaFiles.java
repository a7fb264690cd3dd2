package dev.sluice.controlplane.ca;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/** Reads CA files; every failure names the source (a property and its file) and never the content. */
final class CaFiles {
  private CaFiles() {}

  static List<X509Certificate> certificates(String source, Path file) {
    try {
      return Pem.readCertificates(read(source, file));
    } catch (IllegalArgumentException e) {
      throw new CaConfigurationException(source + " " + e.getMessage(), e);
    }
  }

  static PrivateKey privateKey(String source, Path file) {
    try {
      return Pem.readPrivateKey(read(source, file));
    } catch (IllegalArgumentException e) {
      throw new CaConfigurationException(source + " " + e.getMessage(), e);
    }
  }

  /** ISO-8859-1 so that a binary file still reads and is then refused as not PEM. */
  private static String read(String source, Path file) {
    try {
      return Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      throw new CaConfigurationException(source + ": the file does not exist", e);
    } catch (AccessDeniedException e) {
      throw new CaConfigurationException(source + ": the file cannot be read (permission denied)", e);
    } catch (IOException e) {
      throw new CaConfigurationException(source + ": the file cannot be read (" + e + ")", e);
    }
  }
}
