package dev.sluice.controlplane.kubernetes;

import dev.sluice.controlplane.security.ApiPrincipal;
import dev.sluice.controlplane.security.ApiRules;
import dev.sluice.controlplane.security.ExternalCallers;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * REST callers in Kubernetes mode: a bearer token that is no API token goes to TokenReview, for
 * Sluice's audience only ({@code sluice.kubernetes.token-audience}, as proxies' tokens): a caller sends
 * a token made for Sluice ({@code kubectl create token <sa> --audience sluice}), never a credential the
 * API server itself would take, so Sluice holds nothing it could replay against the cluster. Only a
 * JWT is sent there (an API token mistyped, or a bootstrap token, is not). Each request's permission
 * goes to a SubjectAccessReview ({@link RestAccessReviews}), so
 * Kubernetes RBAC decides who may read or write which namespace. Answers are kept {@link #CACHE_FOR}
 * (a revoked binding or token stops working within that), at most {@link #MAX_CACHED} of each, keyed
 * by a hash of the token, never the token. An API server that cannot be asked means no (fails closed),
 * and that answer is not kept.
 */
final class KubernetesRestCallers implements ExternalCallers {
  private static final Logger log = LoggerFactory.getLogger(KubernetesRestCallers.class);
  static final Duration CACHE_FOR = Duration.ofSeconds(10);
  static final int MAX_CACHED = 1_000;
  /** Three base64url parts: the shape of a Kubernetes token. */
  private static final java.util.regex.Pattern JWT =
      java.util.regex.Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

  private record Cached<T>(T value, Instant until) {}

  private final KubernetesClient client;
  private final String audience;
  private final Clock clock;
  private final Map<String, Cached<Optional<ApiPrincipal>>> reviewedTokens = lru();
  private final Map<AccessKey, Cached<Boolean>> reviewedAccess = lru();

  private record AccessKey(String user, ApiPrincipal.KubernetesUser details, RestAccessReviews.Attributes attributes) {}

  KubernetesRestCallers(KubernetesClient client, String audience, Clock clock) {
    this.client = client;
    this.audience = audience;
    this.clock = clock;
  }

  @Override
  public Optional<ApiPrincipal> authenticate(String bearer) {
    if (!JWT.matcher(bearer).matches()) {
      return Optional.empty();
    }
    String key = sha256(bearer);
    Instant now = clock.instant();
    synchronized (reviewedTokens) {
      Cached<Optional<ApiPrincipal>> hit = reviewedTokens.get(key);
      if (hit != null && now.isBefore(hit.until())) {
        return hit.value();
      }
    }
    Optional<Optional<ApiPrincipal>> principal = review(bearer);
    if (principal.isEmpty()) {
      return Optional.empty(); // could not ask: no, and not kept
    }
    synchronized (reviewedTokens) {
      reviewedTokens.put(key, new Cached<>(principal.get(), now.plus(CACHE_FOR)));
    }
    return principal.get();
  }

  @Override
  public boolean allows(ApiPrincipal principal, ApiRules.Access access, String method, String path,
      Map<String, String> variables) {
    if (principal.user() == null) {
      return false;
    }
    RestAccessReviews.Attributes attributes = RestAccessReviews.of(access, method, path, variables);
    AccessKey key = new AccessKey(principal.name(), principal.user(), attributes);
    Instant now = clock.instant();
    synchronized (reviewedAccess) {
      Cached<Boolean> hit = reviewedAccess.get(key);
      if (hit != null && now.isBefore(hit.until())) {
        return hit.value();
      }
    }
    Optional<Boolean> allowed = review(principal, attributes);
    if (allowed.isEmpty()) {
      return false; // could not ask: no, and not kept
    }
    synchronized (reviewedAccess) {
      reviewedAccess.put(key, new Cached<>(allowed.get(), now.plus(CACHE_FOR)));
    }
    return allowed.get();
  }

  /** The API server's answer (a caller, or none), or empty when it could not be asked. */
  private Optional<Optional<ApiPrincipal>> review(String bearer) {
    TokenReview request = new TokenReviewBuilder().withNewSpec().withToken(bearer).withAudiences(audience).endSpec().build();
    try {
      TokenReview answer = client.authentication().v1().tokenReviews().create(request);
      if (answer == null || answer.getStatus() == null || !Boolean.TRUE.equals(answer.getStatus().getAuthenticated())
          || answer.getStatus().getUser() == null || answer.getStatus().getUser().getUsername() == null
          || answer.getStatus().getAudiences() == null || !answer.getStatus().getAudiences().contains(audience)) {
        return Optional.of(Optional.empty());
      }
      UserInfo user = answer.getStatus().getUser();
      return Optional.of(Optional.of(ApiPrincipal.kubernetes(user.getUsername(),
          new ApiPrincipal.KubernetesUser(user.getUid(), user.getGroups(), user.getExtra()))));
    } catch (KubernetesClientException e) {
      // Neither the request (it holds the token) nor the exception's message goes to the log.
      log.warn("REST caller: TokenReview failed with HTTP {}; the request is refused", e.getCode());
      return Optional.empty();
    }
  }

  /** The API server's answer, or empty when it could not be asked. */
  private Optional<Boolean> review(ApiPrincipal principal, RestAccessReviews.Attributes attributes) {
    SubjectAccessReview request = new SubjectAccessReviewBuilder().withNewSpec()
        .withUser(principal.name()).withUid(principal.user().uid()).withGroups(principal.user().groups())
        .withExtra(principal.user().extra())
        .withResourceAttributes(attributes.resource()).withNonResourceAttributes(attributes.nonResource())
        .endSpec().build();
    try {
      SubjectAccessReview answer = client.authorization().v1().subjectAccessReview().create(request);
      return Optional.of(answer != null && answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed()));
    } catch (KubernetesClientException e) {
      log.warn("REST caller {}: SubjectAccessReview failed with HTTP {}; the request is refused", principal.name(),
          e.getCode());
      return Optional.empty();
    }
  }

  private static <K, T> Map<K, T> lru() {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, T> eldest) {
        return size() > MAX_CACHED;
      }
    };
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
