package dev.sluice.controlplane.audit;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The requests that write, in one list: method and path to the audited action. Matched from the URL
 * alone, before any handler runs, so that a write refused early (malformed body, missing parameter)
 * is audited like any other. A new write endpoint is added here too; {@code AuditTrailTest} sends
 * each kind and expects its line.
 */
final class AuditedWrites {
  static final String MODEL_ROUTE = "ModelRoute";
  static final String BOOTSTRAP_TOKEN = "BootstrapToken";
  static final String REQUEST = "Request";
  /** A PUT is audited as {@code create} or {@code update}, whichever it did (or would have done). */
  static final String CREATE_OR_UPDATE = "create|update";

  /** One kind of write. {@code name} is the path variable that names the resource. */
  record Write(String method, PathPattern path, String action, String kind, String name) {}

  /** A request that is a write, and the namespace and name its URL holds (either may be null). */
  record Match(Write write, String namespace, String name) {}

  private static final String ROUTE = "/api/v1/namespaces/{namespace}/modelroutes/{name}";

  private static final List<Write> WRITES = List.of(
      write("PUT", ROUTE, CREATE_OR_UPDATE, MODEL_ROUTE, "name"),
      write("PATCH", ROUTE, "patch", MODEL_ROUTE, "name"),
      write("PUT", ROUTE + "/weights", "weights", MODEL_ROUTE, "name"),
      write("DELETE", ROUTE, "delete", MODEL_ROUTE, "name"),
      write("POST", ROUTE + "/rollback", "rollback", MODEL_ROUTE, "name"),
      write("POST", "/api/v1/namespaces/{namespace}/bootstrap", "mint-token", BOOTSTRAP_TOKEN, null),
      write("DELETE", "/api/v1/tokens/{id}", "revoke-token", BOOTSTRAP_TOKEN, "id"));

  private AuditedWrites() {}

  static Optional<Match> match(HttpServletRequest request) {
    PathContainer path = PathContainer.parsePath(request.getRequestURI().substring(request.getContextPath().length()));
    for (Write w : WRITES) {
      if (!w.method().equals(request.getMethod())) {
        continue;
      }
      PathPattern.PathMatchInfo info = w.path().matchAndExtract(path);
      if (info != null) {
        Map<String, String> vars = info.getUriVariables();
        return Optional.of(new Match(w, vars.get("namespace"), w.name() == null ? null : vars.get(w.name())));
      }
    }
    return Optional.empty();
  }

  /** A request that is not a write, for the audit line of a refused request: action {@code access}, kind {@code Request}. */
  static Write read(HttpServletRequest request) {
    return new Write(request.getMethod(), null, "access", REQUEST, null);
  }

  private static Write write(String method, String path, String action, String kind, String name) {
    return new Write(method, PathPatternParser.defaultInstance.parse(path), action, kind, name);
  }
}
