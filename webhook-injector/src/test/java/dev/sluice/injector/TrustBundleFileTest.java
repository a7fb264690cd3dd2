package dev.sluice.injector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustBundleFileTest {
  static final String A = "-----BEGIN CERTIFICATE-----\nQQ==\n-----END CERTIFICATE-----\n";
  static final String B = "-----BEGIN CERTIFICATE-----\nQg==\n-----END CERTIFICATE-----\n";

  @Test
  void rotatedBundle_isReadAgain(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("ca.pem");
    Files.writeString(file, A);
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
    TrustBundleFile bundle = new TrustBundleFile(file);
    assertThat(bundle.get()).isEqualTo(A);
    Files.writeString(file, B);
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-02T00:00:00Z")));
    assertThat(bundle.get()).isEqualTo(B);
  }

  @Test
  void missingOrEmptyBundle_failsWithTheFileNamed(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> new TrustBundleFile(dir.resolve("none.pem")).get())
        .isInstanceOf(UncheckedIOException.class).hasMessageContaining("none.pem");
    Path empty = Files.writeString(dir.resolve("empty.pem"), "");
    assertThatThrownBy(() -> new TrustBundleFile(empty).get()).hasMessageContaining("no PEM certificate");
  }
}
