package dev.sluice.controlplane.kubernetes;

import dev.sluice.controlplane.security.ApiRules;
import io.fabric8.kubernetes.api.model.authorization.v1.NonResourceAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.NonResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import java.util.Map;

/**
 * What a REST request asks of Kubernetes RBAC, as a SubjectAccessReview's attributes, so that the
 * same RBAC that decides {@code kubectl} decides the REST API:
 *
 * <ul>
 *   <li>reading routes: {@code get} (one route) or {@code list} (a namespace's) on
 *       {@code modelroutes.sluice.dev} in the path's namespace; across namespaces (all routes, the
 *       proxies) {@code list} in every namespace;</li>
 *   <li>writing routes: {@code update} (PUT, weights, rollback), {@code patch} or {@code delete} on
 *       {@code modelroutes.sluice.dev} in the namespace;</li>
 *   <li>minting a bootstrap token: {@code create} on {@code bootstraptokens.sluice.dev} in the
 *       namespace, a resource that exists only for RBAC (the tokens live in Sluice); listing and
 *       revoking them: {@code list}, {@code get} or {@code delete} on it in every namespace;</li>
 *   <li>actuator endpoints beyond health and metrics: the non-resource URL, {@code get} or {@code post}.</li>
 * </ul>
 */
final class RestAccessReviews {
  static final String GROUP = "sluice.dev";
  static final String ROUTES = "modelroutes";
  static final String BOOTSTRAP_TOKENS = "bootstraptokens";

  /** Either resource or non-resource attributes. */
  record Attributes(ResourceAttributes resource, NonResourceAttributes nonResource) {}

  private RestAccessReviews() {}

  static Attributes of(ApiRules.Access access, String method, String path, Map<String, String> variables) {
    String namespace = variables.getOrDefault("namespace", "");
    return switch (access) {
      case VIEW_NAMESPACE -> resource(ROUTES, variables.containsKey("name") ? "get" : "list", namespace);
      case VIEW_ALL -> resource(ROUTES, "list", "");
      case EDIT_NAMESPACE -> resource(ROUTES, switch (method) {
        case "PATCH" -> "patch";
        case "DELETE" -> "delete";
        default -> "update";
      }, namespace);
      case ADMIN_NAMESPACE -> resource(BOOTSTRAP_TOKENS, "create", namespace);
      case ADMIN_ALL -> path.startsWith("/api/")
          ? resource(BOOTSTRAP_TOKENS, method.equals("DELETE") ? "delete" : variables.containsKey("id") ? "get" : "list", "")
          : new Attributes(null, new NonResourceAttributesBuilder().withPath(path)
              .withVerb(method.equals("GET") ? "get" : method.toLowerCase(java.util.Locale.ROOT)).build());
      case PUBLIC, AUTHENTICATED -> throw new IllegalArgumentException(access + " needs no review");
    };
  }

  private static Attributes resource(String resource, String verb, String namespace) {
    return new Attributes(new ResourceAttributesBuilder().withGroup(GROUP).withResource(resource).withVerb(verb)
        .withNamespace(namespace).build(), null);
  }
}
