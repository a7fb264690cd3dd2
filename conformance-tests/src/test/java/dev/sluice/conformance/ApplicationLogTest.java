package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Runs after every other test of this module (its own Surefire execution) and reads the log of every
 * control plane they started: certificates were issued and tokens minted, yet no private key and no
 * bearer token was ever written, audit lines ({@code sluice.audit}) included.
 */
class ApplicationLogTest {
  /** The fixed first part of every bootstrap token: its header. */
  static final String TOKEN_HEADER = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6InNsdWljZS1ib290c3RyYXAifQ";

  @Test
  void theApplicationLog_holdsNoKeyMaterialAndNoToken() throws Exception {
    String file = System.getProperty("logging.file.name");
    assertThat(file).as("logging.file.name, set by the conformance-tests POM").isNotNull();
    String log = Files.readString(Path.of(file), StandardCharsets.UTF_8);
    assertThat(log).as("the log saw certificates issued and tokens minted")
        .contains("issued certificate").contains("minted bootstrap token").contains("secure xDS port serves certificate")
        .contains("\"action\":\"mint-token\"");
    assertThat(log).doesNotContain("PRIVATE KEY").doesNotContain(TOKEN_HEADER);
  }
}
