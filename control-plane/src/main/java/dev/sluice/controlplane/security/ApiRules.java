package dev.sluice.controlplane.security;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * What each endpoint needs, in one table. A request that matches no rule is refused, so a new
 * endpoint is unreachable until it is listed here ({@code ApiSecurityTest} walks the OpenAPI document
 * and fails on any operation without a rule). The namespace is the path's {@code {namespace}}.
 */
public final class ApiRules {

  /** What a rule asks of the caller. */
  public enum Access {
    /** Anyone, with or without credentials: public material and liveness. */
    PUBLIC,
    /** Any authenticated caller. */
    AUTHENTICATED,
    VIEW_NAMESPACE(Role.VIEWER, true),
    EDIT_NAMESPACE(Role.EDITOR, true),
    /** Minting a bootstrap token for the path's namespace: admin there. */
    ADMIN_NAMESPACE(Role.ADMIN, true),
    /** Reads across namespaces (all routes, all proxies): viewer in every namespace. */
    VIEW_ALL(Role.VIEWER, false),
    ADMIN_ALL(Role.ADMIN, false);

    private final Role role;
    private final boolean namespaced;

    Access() {
      this(null, false);
    }

    Access(Role role, boolean namespaced) {
      this.role = role;
      this.namespaced = namespaced;
    }

    /** Whether {@code principal} (null: unauthenticated) may, given the path's variables. */
    public boolean allows(ApiPrincipal principal, Map<String, String> variables) {
      if (this == PUBLIC) {
        return true;
      }
      if (principal == null) {
        return false;
      }
      if (this == AUTHENTICATED) {
        return true;
      }
      String namespace = namespaced ? variables.get("namespace") : null;
      if (namespaced && namespace == null) {
        return false;
      }
      return principal.allows(role, namespace);
    }
  }

  /** One row: method and path pattern to what it needs. */
  public record Rule(HttpMethod method, String path, Access access, PathPattern pattern) {
    Rule(HttpMethod method, String path, Access access) {
      this(method, path, access, PathPatternParser.defaultInstance.parse(path));
    }
  }

  private static final String ROUTE = "/api/v1/namespaces/{namespace}/modelroutes/{name}";

  public static final List<Rule> RULES = List.of(
      rule("GET", "/api/v1/trust-bundle", Access.PUBLIC),
      rule("GET", "/api/v1/modelroutes", Access.VIEW_ALL),
      rule("GET", "/api/v1/namespaces/{namespace}/modelroutes", Access.VIEW_NAMESPACE),
      rule("GET", ROUTE, Access.VIEW_NAMESPACE),
      rule("GET", ROUTE + "/envoy", Access.VIEW_NAMESPACE),
      rule("GET", ROUTE + "/revisions", Access.VIEW_NAMESPACE),
      rule("PUT", ROUTE, Access.EDIT_NAMESPACE),
      rule("PATCH", ROUTE, Access.EDIT_NAMESPACE),
      rule("DELETE", ROUTE, Access.EDIT_NAMESPACE),
      rule("PUT", ROUTE + "/weights", Access.EDIT_NAMESPACE),
      rule("POST", ROUTE + "/rollback", Access.EDIT_NAMESPACE),
      rule("GET", ROUTE + "/rollout", Access.VIEW_NAMESPACE),
      rule("POST", ROUTE + "/rollout/{action}", Access.EDIT_NAMESPACE),
      rule("POST", "/api/v1/namespaces/{namespace}/bootstrap", Access.ADMIN_NAMESPACE),
      rule("GET", "/api/v1/tokens", Access.ADMIN_ALL),
      rule("GET", "/api/v1/tokens/{id}", Access.ADMIN_ALL),
      rule("DELETE", "/api/v1/tokens/{id}", Access.ADMIN_ALL),
      rule("GET", "/api/v1/proxies", Access.VIEW_ALL),
      rule("GET", "/api/v1/proxies/{nodeId}", Access.VIEW_ALL),
      rule("GET", "/v3/api-docs", Access.AUTHENTICATED),
      rule("GET", "/v3/api-docs/{*rest}", Access.AUTHENTICATED),
      // Swagger UI: a browser reaches it with a client certificate (sluice.api.mtls-port) or from loopback.
      rule("GET", "/swagger-ui.html", Access.AUTHENTICATED),
      rule("GET", "/swagger-ui/{*path}", Access.AUTHENTICATED),
      // The rollout page's static files (dev.sluice.controlplane.ui): no data in them; the page reads
      // the API above with the token its user enters.
      rule("GET", "/ui", Access.PUBLIC),
      rule("GET", "/ui/{*asset}", Access.PUBLIC),
      rule("GET", "/actuator/health", Access.PUBLIC),
      rule("GET", "/actuator/health/{*group}", Access.PUBLIC),
      rule("GET", "/actuator/prometheus", Access.PUBLIC),
      rule("GET", "/actuator", Access.ADMIN_ALL),
      rule("GET", "/actuator/{*endpoint}", Access.ADMIN_ALL),
      rule("POST", "/actuator/{*endpoint}", Access.ADMIN_ALL),
      rule("DELETE", "/actuator/{*endpoint}", Access.ADMIN_ALL));

  private ApiRules() {}

  /** The first rule for this method and path, with the path's variables. HEAD is asked as GET. */
  public static Optional<Map.Entry<Rule, Map<String, String>>> match(String method, String path) {
    String asked = "HEAD".equals(method) ? "GET" : method;
    PathContainer container = PathContainer.parsePath(path);
    for (Rule rule : RULES) {
      if (!rule.method().name().equals(asked)) {
        continue;
      }
      PathPattern.PathMatchInfo info = rule.pattern().matchAndExtract(container);
      if (info != null) {
        return Optional.of(Map.entry(rule, info.getUriVariables()));
      }
    }
    return Optional.empty();
  }

  private static Rule rule(String method, String path, Access access) {
    return new Rule(HttpMethod.valueOf(method), path, access);
  }
}
