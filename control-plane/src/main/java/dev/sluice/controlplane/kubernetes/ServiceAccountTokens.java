package dev.sluice.controlplane.kubernetes;

import dev.sluice.controlplane.identity.AuthenticationException;
import dev.sluice.controlplane.identity.ProvenProxy;
import dev.sluice.controlplane.identity.ProxyAuthenticator;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Proxies in Kubernetes prove who they are with a projected service-account token issued for
 * Sluice's audience ({@code sluice.kubernetes.token-audience}), which the API server checks in a
 * TokenReview. The proven identity is the token's namespace and service account, and the proxy's
 * node id is pinned to the pod the token is bound to, so a token lifted from one pod does not serve
 * a proxy that calls itself another.
 *
 * <p>A token is this authenticator's kind when it is a JWT with the {@code kubernetes.io} claim that
 * bound tokens carry; its claims are read unverified only to tell that and, once TokenReview has
 * accepted the token, its expiry. The token itself is never logged.
 */
final class ServiceAccountTokens implements ProxyAuthenticator {
  private static final Logger log = LoggerFactory.getLogger(ServiceAccountTokens.class);
  static final String POD_NAME = "authentication.kubernetes.io/pod-name";
  static final String CREDENTIAL_ID = "authentication.kubernetes.io/credential-id";
  private static final String USER_PREFIX = "system:serviceaccount:";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final KubernetesClient client;
  private final String audience;
  private final String serverNamespace;
  private final Duration reviewInterval;
  /** Per credential of an open stream: its token (memory only) and when TokenReview last took it. */
  private final Map<String, Reviewed> reviewed = new ConcurrentHashMap<>();

  private record Reviewed(String bearer, Instant at, Instant expiresAt) {}

  /**
   * @param serverNamespace the control plane's own namespace ({@code sluice.ca.server-namespace}):
   *     its identities include the control plane's, which every proxy trusts as Sluice, so no token
   *     of it is accepted
   */
  ServiceAccountTokens(KubernetesClient client, String audience, String serverNamespace, Duration reviewInterval) {
    this.client = client;
    this.audience = audience;
    this.serverNamespace = serverNamespace;
    this.reviewInterval = reviewInterval;
  }

  @Override
  public Optional<ProvenProxy> authenticate(String bearer, Instant now) throws AuthenticationException {
    Optional<JsonNode> claims = unverifiedClaims(bearer);
    if (claims.isEmpty() || !claims.get().has("kubernetes.io")) {
      return Optional.empty();
    }
    TokenReviewStatus status = review(bearer);
    if (!Boolean.TRUE.equals(status.getAuthenticated())) {
      throw new AuthenticationException("the service-account token was refused by TokenReview for audience '" + audience
          + "': " + (status.getError() == null ? "not authenticated" : status.getError()));
    }
    if (status.getAudiences() != null && !status.getAudiences().isEmpty() && !status.getAudiences().contains(audience)) {
      throw new AuthenticationException("the service-account token is not for audience '" + audience + "'");
    }
    UserInfo user = status.getUser();
    String name = user == null ? null : user.getUsername();
    if (name == null || !name.startsWith(USER_PREFIX) || name.substring(USER_PREFIX.length()).split(":", -1).length != 2) {
      throw new AuthenticationException("the token names user " + name + ", not a service account");
    }
    String[] nsAndSa = name.substring(USER_PREFIX.length()).split(":");
    if (nsAndSa[0].equals(serverNamespace)) {
      throw new AuthenticationException("the token of " + name + " is of the control plane's own namespace "
          + serverNamespace + " (sluice.ca.server-namespace); its identities are not given to proxies");
    }
    Map<String, List<String>> extra = user.getExtra() == null ? Map.of() : user.getExtra();
    String pod = single(extra, POD_NAME).orElseThrow(() -> new AuthenticationException("the token of " + name
        + " is not bound to a pod; use a projected token (or kubectl create token --bound-object-kind Pod)"));
    JsonNode exp = claims.get().get("exp");
    if (exp == null || !exp.canConvertToLong()) {
      throw new AuthenticationException("the token of " + name + " has no expiry");
    }
    String credential = single(extra, CREDENTIAL_ID).orElse("serviceaccount " + nsAndSa[0] + "/" + nsAndSa[1] + " pod " + pod);
    Instant expiresAt = Instant.ofEpochSecond(exp.asLong());
    reviewed.values().removeIf(r -> !now.isBefore(r.expiresAt()));
    reviewed.put(credential, new Reviewed(bearer, now, expiresAt));
    return Optional.of(new ProvenProxy(nsAndSa[0], nsAndSa[1], pod, null, expiresAt, credential, this));
  }

  /**
   * Sends the stream's token to TokenReview again once {@code reviewInterval} has passed since the
   * last time: a bound token stops holding when its pod is deleted, and so does the stream. Expiry
   * itself {@code ProxyAuthenticators} checks without I/O.
   */
  @Override
  public Optional<String> recheck(ProvenProxy proxy, Instant now) {
    Reviewed last = reviewed.get(proxy.credentialId());
    if (last == null || Duration.between(last.at(), now).compareTo(reviewInterval) < 0) {
      return Optional.empty();
    }
    try {
      TokenReviewStatus status = review(last.bearer());
      if (!Boolean.TRUE.equals(status.getAuthenticated())) {
        reviewed.remove(proxy.credentialId());
        return Optional.of("the service-account token of " + proxy.identity() + " no longer passes TokenReview: "
            + (status.getError() == null ? "not authenticated" : status.getError()));
      }
      reviewed.put(proxy.credentialId(), new Reviewed(last.bearer(), now, last.expiresAt()));
      return Optional.empty();
    } catch (AuthenticationException e) {
      return Optional.empty(); // the API server is unreachable: keep the stream, ask again next time
    }
  }

  private TokenReviewStatus review(String bearer) throws AuthenticationException {
    TokenReview request = new TokenReviewBuilder().withNewSpec().withToken(bearer).withAudiences(audience).endSpec().build();
    try {
      TokenReview answer = client.authentication().v1().tokenReviews().create(request);
      if (answer == null || answer.getStatus() == null) {
        throw new AuthenticationException("TokenReview gave no status");
      }
      return answer.getStatus();
    } catch (KubernetesClientException e) {
      // Neither the request (it holds the token) nor the exception's message goes to the log.
      log.warn("TokenReview failed with HTTP {}: {}", e.getCode(),
          e.getStatus() == null ? e.getClass().getSimpleName() : e.getStatus().getReason());
      throw new AuthenticationException("could not check the service-account token: TokenReview failed (HTTP "
          + e.getCode() + ")");
    }
  }

  private static Optional<String> single(Map<String, List<String>> extra, String key) {
    List<String> values = extra.get(key);
    return values == null || values.size() != 1 || values.get(0).isBlank() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** The payload of a compact JWT, not verified; empty when the token is not one. */
  private static Optional<JsonNode> unverifiedClaims(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return Optional.empty();
    }
    try {
      JsonNode payload = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
      return payload != null && payload.isObject() ? Optional.of(payload) : Optional.empty();
    } catch (IllegalArgumentException | JacksonException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return "ServiceAccountTokens[audience=" + audience + "]";
  }
}
