package dev.sluice.controlplane.security;

import dev.sluice.controlplane.api.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * 401, 403 and 429 as {@code application/problem+json}. The detail never says which part of the
 * credentials was wrong (missing, malformed, unknown and expired read the same), so a caller probing
 * tokens learns nothing; the log line names the request, the address and the principal, never a token.
 */
final class ProblemResponses {
  private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  static final String UNAUTHORIZED = "authentication is required: send a valid token as 'Authorization: Bearer <token>'";
  static final String FORBIDDEN = "the credentials are valid but do not allow this request";

  private ProblemResponses() {}

  static void unauthorized(HttpServletRequest request, HttpServletResponse response) throws IOException {
    response.setHeader("WWW-Authenticate", "Bearer realm=\"sluice\"");
    write(request, response, HttpStatus.UNAUTHORIZED, UNAUTHORIZED);
  }

  static void forbidden(HttpServletRequest request, HttpServletResponse response) throws IOException {
    write(request, response, HttpStatus.FORBIDDEN, FORBIDDEN);
  }

  static void tooMany(HttpServletRequest request, HttpServletResponse response, long retryAfterSeconds) throws IOException {
    response.setHeader("Retry-After", Long.toString(retryAfterSeconds));
    write(request, response, HttpStatus.TOO_MANY_REQUESTS,
        "too many failed authentications from this address; retry after " + retryAfterSeconds + " s");
  }

  private static void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String detail)
      throws IOException {
    Object principal = request.getAttribute(ApiPrincipal.ATTRIBUTE);
    log.warn("refused {} {} from {}{}: {}", request.getMethod(), request.getRequestURI(), request.getRemoteAddr(),
        principal instanceof ApiPrincipal p ? " (" + p.name() + ")" : "", status.value());
    ObjectNode body = Problems.body(status, detail, List.of(), request.getRequestURI());
    response.setStatus(status.value());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    // Bytes, not the writer: the writer would add a charset that JSON does not take.
    response.getOutputStream().write(JSON.writeValueAsBytes(body));
  }
}
