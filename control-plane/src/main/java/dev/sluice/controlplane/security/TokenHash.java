package dev.sluice.controlplane.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * An API token as Sluice keeps it: {@code sha256:<salt>:<digest>}, the digest being SHA-256 of the
 * salt's hex text followed by the token, both in lowercase hex. The token is 256 random bits, so one
 * salted hash is enough (no password stretching), and the same line can be made with a shell:
 * {@code printf %s "$salt$token" | sha256sum}. Tokens are compared by digest in constant time.
 */
final class TokenHash {
  static final String PREFIX = "sluice_";
  private static final Pattern FORMAT = Pattern.compile("sha256:([0-9a-f]{16,64}):([0-9a-f]{64})");

  private final String salt;
  private final byte[] digest;

  private TokenHash(String salt, byte[] digest) {
    this.salt = salt;
    this.digest = digest;
  }

  /** Parses {@code sha256:<salt>:<digest>}; the message names {@code field}. */
  static TokenHash parse(String text, String field) {
    var m = text == null ? null : FORMAT.matcher(text.strip());
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException(field + " must be sha256:<salt, 16 to 64 hex digits>:<SHA-256 of salt and "
          + "token, 64 hex digits>");
    }
    return new TokenHash(m.group(1), HexFormat.of().parseHex(m.group(2)));
  }

  /** A salted hash of {@code token} with a new random salt. */
  static TokenHash of(String token, SecureRandom random) {
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    String saltHex = HexFormat.of().formatHex(salt);
    return new TokenHash(saltHex, sha256(saltHex + token));
  }

  /** A new token: {@code sluice_} and 32 random bytes, base64url. */
  static String newToken(SecureRandom random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Whether {@code token} is the one hashed, compared in constant time. */
  boolean matches(String token) {
    return MessageDigest.isEqual(digest, sha256(salt + token));
  }

  @Override
  public String toString() {
    return "sha256:" + salt + ":" + HexFormat.of().formatHex(digest);
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
