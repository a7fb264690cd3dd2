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
 * REST callers in Kubernetes mode: a bearer token that is no API token goes to TokenReview (for the
 * API server's own audiences, so a user's or a pipeline's service-account token works as it does with
 * kubectl), and each request's permission to a SubjectAccessReview ({@link RestAccessReviews}), so
 * Kubernetes RBAC decides who may read or write which namespace. Answers are kept {@link #CACHE_FOR}
 * (a revoked binding or token stops working within that), at most {@link #MAX_CACHED} of each, keyed
 * by a hash of the token, never the token. An API server that cannot be asked means no (fails closed).
 */
final class KubernetesRestCallers implements ExternalCallers {
  private static final Logger log = LoggerFactory.getLogger(KubernetesRestCallers.class);
  static final Duration CACHE_FOR = Duration.ofSeconds(10);
  static final int MAX_CACHED = 1_000;

  private record Cached<T>(T value, Instant until) {}

  private final KubernetesClient client;
  private final Clock clock;
  private final Map<String, Cached<Optional<ApiPrincipal>>> reviewedTokens = lru();
  private final Map<String, Cached<Boolean>> reviewedAccess = lru();

  KubernetesRestCallers(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  @Override
  public Optional<ApiPrincipal> authenticate(String bearer) {
    String key = sha256(bearer);
    Instant now = clock.instant();
    synchronized (reviewedTokens) {
      Cached<Optional<ApiPrincipal>> hit = reviewedTokens.get(key);
      if (hit != null && now.isBefore(hit.until())) {
        return hit.value();
      }
    }
    Optional<ApiPrincipal> principal = review(bearer);
    synchronized (reviewedTokens) {
      reviewedTokens.put(key, new Cached<>(principal, now.plus(CACHE_FOR)));
    }
    return principal;
  }

  @Override
  public boolean allows(ApiPrincipal principal, ApiRules.Access access, String method, String path,
      Map<String, String> variables) {
    if (principal.user() == null) {
      return false;
    }
    RestAccessReviews.Attributes attributes = RestAccessReviews.of(access, method, path, variables);
    String key = principal.name() + "\n" + principal.user() + "\n" + attributes;
    Instant now = clock.instant();
    synchronized (reviewedAccess) {
      Cached<Boolean> hit = reviewedAccess.get(key);
      if (hit != null && now.isBefore(hit.until())) {
        return hit.value();
      }
    }
    boolean allowed = review(principal, attributes);
    synchronized (reviewedAccess) {
      reviewedAccess.put(key, new Cached<>(allowed, now.plus(CACHE_FOR)));
    }
    return allowed;
  }

  private Optional<ApiPrincipal> review(String bearer) {
    TokenReview request = new TokenReviewBuilder().withNewSpec().withToken(bearer).endSpec().build();
    try {
      TokenReview answer = client.authentication().v1().tokenReviews().create(request);
      if (answer == null || answer.getStatus() == null || !Boolean.TRUE.equals(answer.getStatus().getAuthenticated())
          || answer.getStatus().getUser() == null || answer.getStatus().getUser().getUsername() == null) {
        return Optional.empty();
      }
      UserInfo user = answer.getStatus().getUser();
      return Optional.of(ApiPrincipal.kubernetes(user.getUsername(),
          new ApiPrincipal.KubernetesUser(user.getUid(), user.getGroups(), user.getExtra())));
    } catch (KubernetesClientException e) {
      // Neither the request (it holds the token) nor the exception's message goes to the log.
      log.warn("REST caller: TokenReview failed with HTTP {}; the request is refused", e.getCode());
      return Optional.empty();
    }
  }

  private boolean review(ApiPrincipal principal, RestAccessReviews.Attributes attributes) {
    SubjectAccessReview request = new SubjectAccessReviewBuilder().withNewSpec()
        .withUser(principal.name()).withUid(principal.user().uid()).withGroups(principal.user().groups())
        .withExtra(principal.user().extra())
        .withResourceAttributes(attributes.resource()).withNonResourceAttributes(attributes.nonResource())
        .endSpec().build();
    try {
      SubjectAccessReview answer = client.authorization().v1().subjectAccessReview().create(request);
      return answer != null && answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed());
    } catch (KubernetesClientException e) {
      log.warn("REST caller {}: SubjectAccessReview failed with HTTP {}; the request is refused", principal.name(),
          e.getCode());
      return false;
    }
  }

  private static <T> Map<String, T> lru() {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, T> eldest) {
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
