package dev.sluice.controlplane.tokens;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Bootstrap tokens as compact JWTs (RFC 7519) signed with HMAC-SHA256 under a key only the control
 * plane holds. The header is fixed: a token whose header differs, e.g. one that names another
 * algorithm, is not ours, so there is no algorithm to negotiate.
 */
final class TokenSigner {
  static final String ISSUER = "sluice";
  static final String AUDIENCE = "sluice-xds";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();
  /** Also how a bootstrap token is told apart from other bearer tokens. */
  static final String HEADER = B64.encodeToString(
      "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"sluice-bootstrap\"}".getBytes(StandardCharsets.UTF_8));
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** A token that is ours in form but does not hold. */
  static final class Invalid extends Exception {
    Invalid(String message) {
      super(message);
    }
  }

  private final SecretKeySpec key;

  TokenSigner(byte[] key) {
    if (key.length < 32) {
      throw new IllegalArgumentException("the token signing key must have at least 256 bits");
    }
    this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
  }

  static boolean looksLikeOurs(String token) {
    return token.startsWith(HEADER + ".");
  }

  String sign(TokenClaims c) {
    ObjectNode body = JSON.createObjectNode()
        .put("iss", ISSUER)
        .put("aud", AUDIENCE)
        .put("jti", c.id())
        .put("sub", "system:serviceaccount:" + c.namespace() + ":" + c.serviceAccount())
        .put("ns", c.namespace())
        .put("sa", c.serviceAccount())
        .put("node", c.nodeId())
        .put("role", c.role())
        .put("iat", c.issuedAt().getEpochSecond())
        .put("exp", c.expiresAt().getEpochSecond());
    String signed = HEADER + "." + B64.encodeToString(JSON.writeValueAsBytes(body));
    return signed + "." + B64.encodeToString(mac(signed));
  }

  /** The claims of a token this signer made; does not look at expiry or revocation. */
  TokenClaims verify(String token) throws Invalid {
    int last = token.lastIndexOf('.');
    if (!looksLikeOurs(token) || last <= HEADER.length()) {
      throw new Invalid("not a Sluice bootstrap token");
    }
    String signed = token.substring(0, last);
    byte[] signature;
    try {
      signature = B64D.decode(token.substring(last + 1));
    } catch (IllegalArgumentException e) {
      throw new Invalid("the token's signature is not base64url");
    }
    if (!MessageDigest.isEqual(mac(signed), signature)) {
      throw new Invalid("the token's signature does not verify");
    }
    try {
      JsonNode body = JSON.readTree(B64D.decode(signed.substring(HEADER.length() + 1)));
      if (!ISSUER.equals(text(body, "iss")) || !AUDIENCE.equals(text(body, "aud"))) {
        throw new Invalid("the token is not for Sluice's xDS server");
      }
      return new TokenClaims(text(body, "jti"), text(body, "ns"), text(body, "sa"), text(body, "node"),
          text(body, "role"), Instant.ofEpochSecond(number(body, "iat")), Instant.ofEpochSecond(number(body, "exp")));
    } catch (JacksonException | IllegalArgumentException e) {
      throw new Invalid("the token's claims cannot be read");
    }
  }

  private static String text(JsonNode body, String field) throws Invalid {
    JsonNode v = body.get(field);
    if (v == null || !v.isString() || v.asString().isEmpty()) {
      throw new Invalid("the token has no '" + field + "' claim");
    }
    return v.asString();
  }

  private static long number(JsonNode body, String field) throws Invalid {
    JsonNode v = body.get(field);
    if (v == null || !v.canConvertToLong()) {
      throw new Invalid("the token has no '" + field + "' claim");
    }
    return v.asLong();
  }

  private byte[] mac(String signed) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  @Override
  public String toString() {
    return "TokenSigner[HS256]";
  }
}
