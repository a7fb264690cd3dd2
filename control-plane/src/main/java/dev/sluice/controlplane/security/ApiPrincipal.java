package dev.sluice.controlplane.security;

import java.security.Principal;
import java.util.List;

/**
 * Who made a request, as the audit log names them, and what they may do.
 *
 * @param name the token's name (API tokens), the SPIFFE ID (client certificates), the Kubernetes user
 *     name, or {@code anonymous-loopback}
 * @param kind how they proved it
 * @param grants what they may do; none for a Kubernetes user, whom the API server authorizes
 * @param user the Kubernetes user as TokenReview gave it (null for the other kinds)
 */
public record ApiPrincipal(String name, Kind kind, List<Grant> grants, KubernetesUser user) implements Principal {
  /** The request attribute that carries the principal to the audit log, which runs outside Spring Security. */
  public static final String ATTRIBUTE = ApiPrincipal.class.getName();

  /** How a principal proved who it is. */
  public enum Kind { TOKEN, CLIENT_CERTIFICATE, ANONYMOUS_LOOPBACK, KUBERNETES }

  /** A Kubernetes user: what a SubjectAccessReview must repeat about them. */
  public record KubernetesUser(String uid, List<String> groups, java.util.Map<String, List<String>> extra) {
    public KubernetesUser {
      groups = groups == null ? List.of() : List.copyOf(groups);
      extra = extra == null ? java.util.Map.of() : java.util.Map.copyOf(extra);
    }
  }

  public ApiPrincipal {
    grants = List.copyOf(grants);
  }

  public ApiPrincipal(String name, Kind kind, List<Grant> grants) {
    this(name, kind, grants, null);
  }

  /** A Kubernetes user, authorized by the API server rather than by grants. */
  public static ApiPrincipal kubernetes(String name, KubernetesUser user) {
    return new ApiPrincipal(name, Kind.KUBERNETES, List.of(), user);
  }

  @Override
  public String getName() {
    return name;
  }

  /** Whether some grant gives {@code needed} in {@code namespace} (null: in every namespace). */
  public boolean allows(Role needed, String namespace) {
    return grants.stream().anyMatch(g -> g.covers(needed, namespace));
  }
}
