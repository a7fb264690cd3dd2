package dev.sluice.controlplane.api;

import dev.sluice.controlplane.audit.AuditEntry;
import dev.sluice.controlplane.store.StaleResourceVersionException;
import dev.sluice.controlplane.store.StoreException;
import dev.sluice.model.FieldError;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every refusal as RFC 9457 {@code application/problem+json}, with {@code errors[].field}. Applies
 * to Sluice's own API controllers, not to actuator endpoints. A refused write's reason and fields
 * also go to its audit line.
 */
@RestControllerAdvice(basePackages = {"dev.sluice.controlplane.routes", "dev.sluice.controlplane.tokens", "dev.sluice.controlplane.ca",
    "dev.sluice.controlplane.rollout"})
public final class Problems {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Logger log = LoggerFactory.getLogger(Problems.class);

  @ExceptionHandler(ApiException.class)
  ResponseEntity<String> api(ApiException e, HttpServletRequest request) {
    return problem(e.status(), e.getMessage(), e.errors(), request);
  }

  @ExceptionHandler(StaleResourceVersionException.class)
  ResponseEntity<String> stale(StaleResourceVersionException e, HttpServletRequest request) {
    return problem(HttpStatus.CONFLICT, e.getMessage(),
        List.of(new FieldError("metadata.resourceVersion", "is " + e.expected() + " but the stored route is at " + e.actual()
            + "; read it again and retry")), request);
  }

  @ExceptionHandler(StoreException.class)
  ResponseEntity<String> store(StoreException e, HttpServletRequest request) {
    return problem(HttpStatus.valueOf(e.status()), e.getMessage(), e.errors(), request);
  }

  public static ResponseEntity<String> problem(HttpStatus status, String detail, List<FieldError> errors, HttpServletRequest request) {
    log.warn("rejected {} {} from {}: {} {}", request.getMethod(), request.getRequestURI(), request.getRemoteAddr(),
        status.value(), errors.isEmpty() ? detail : errors);
    AuditEntry.of(request).rejected(detail, errors);
    return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(JSON.writeValueAsString(body(status, detail, errors, request.getRequestURI())));
  }

  /** The RFC 9457 document: type, title, status, detail, instance, and {@code errors[].field}. */
  public static ObjectNode body(HttpStatus status, String detail, List<FieldError> errors, String instance) {
    ObjectNode body = JSON.createObjectNode();
    body.put("type", "about:blank");
    body.put("title", status.getReasonPhrase());
    body.put("status", status.value());
    body.put("detail", detail);
    body.put("instance", instance);
    ArrayNode list = body.putArray("errors");
    errors.forEach(e -> list.addObject().put("field", e.field()).put("message", e.message()));
    return body;
  }
}
