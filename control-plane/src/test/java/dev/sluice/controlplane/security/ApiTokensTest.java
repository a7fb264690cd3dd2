package dev.sluice.controlplane.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiTokensTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  private static ApiProperties.Token token(String name, String hash, String role, String... namespaces) {
    return new ApiProperties.Token(name, hash, List.of(new ApiProperties.GrantSpec(role, List.of(namespaces))));
  }

  @Test
  void aToken_authenticatesAsItsName_withItsGrants_andNoOtherDoes() {
    String token = TokenHash.newToken(RANDOM);
    ApiTokens tokens = ApiTokens.of(List.of(token("pipeline", TokenHash.of(token, RANDOM).toString(), "editor", "ml"),
        token("ops", TokenHash.of(TokenHash.newToken(RANDOM), RANDOM).toString(), "viewer")), "sluice.api.tokens");
    ApiPrincipal principal = tokens.authenticate(token).orElseThrow();
    assertThat(principal.name()).isEqualTo("pipeline");
    assertThat(principal.allows(Role.EDITOR, "ml")).isTrue();
    assertThat(principal.allows(Role.VIEWER, "ml")).isTrue();
    assertThat(principal.allows(Role.ADMIN, "ml")).isFalse();
    assertThat(principal.allows(Role.EDITOR, "prod")).isFalse();
    assertThat(principal.allows(Role.VIEWER, null)).as("all namespaces").isFalse();
    assertThat(tokens.authenticate(token + "x")).isEmpty();
    assertThat(tokens.authenticate("")).isEmpty();
  }

  @Test
  void theHash_isSha256OfTheSaltTextAndTheToken_asAShellWouldMakeIt() throws Exception {
    String token = "sluice_example";
    String salt = "00112233445566778899aabbccddeeff";
    String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest((salt + token).getBytes(StandardCharsets.UTF_8)));
    TokenHash hash = TokenHash.parse("sha256:" + salt + ":" + digest, "f");
    assertThat(hash.matches(token)).isTrue();
    assertThat(hash.matches("sluice_other")).isFalse();
    assertThat(hash).hasToString("sha256:" + salt + ":" + digest);
  }

  @Test
  void badEntries_areRefused_namingTheField() {
    String good = TokenHash.of(TokenHash.newToken(RANDOM), RANDOM).toString();
    assertThatThrownBy(() -> ApiTokens.of(List.of(token("a", "plaintext-token", "admin")), "sluice.api.tokens"))
        .hasMessageStartingWith("sluice.api.tokens[0].hash must be sha256:");
    assertThatThrownBy(() -> ApiTokens.of(List.of(token("a", good, "admin"), token("b", good, "owner")), "sluice.api.tokens"))
        .hasMessage("sluice.api.tokens[1].grants[0].role must be viewer, editor or admin, was 'owner'");
    assertThatThrownBy(() -> ApiTokens.of(List.of(token("a", good, "editor", "ML_Team")), "sluice.api.tokens"))
        .hasMessageStartingWith("sluice.api.tokens[0].grants[0].namespaces[0] must be a namespace name");
    assertThatThrownBy(() -> ApiTokens.of(List.of(token("a", good, "admin"), token("a", good, "viewer")), "sluice.api.tokens"))
        .hasMessage("sluice.api.tokens[1].name 'a' is used by another token");
    assertThatThrownBy(() -> ApiTokens.of(List.of(new ApiProperties.Token(null, good, List.of())), "sluice.api.tokens"))
        .hasMessage("sluice.api.tokens[0].name is required");
    assertThatThrownBy(() -> ApiTokens.of(List.of(new ApiProperties.Token("a", good, List.of())), "sluice.api.tokens"))
        .hasMessage("sluice.api.tokens[0].grants must hold at least one role");
  }
}
