package dev.sluice.controlplane.api;

import dev.sluice.model.FieldError;
import java.util.List;
import org.springframework.http.HttpStatus;

/** A request the API refuses, with the fields at fault; becomes {@code application/problem+json}. */
public final class ApiException extends RuntimeException {
  private final HttpStatus status;
  private final List<FieldError> errors;

  public ApiException(HttpStatus status, String detail, List<FieldError> errors) {
    super(detail);
    this.status = status;
    this.errors = List.copyOf(errors);
  }

  public static ApiException of(HttpStatus status, String field, String message) {
    return new ApiException(status, field + ": " + message, List.of(new FieldError(field, message)));
  }

  public HttpStatus status() {
    return status;
  }

  public List<FieldError> errors() {
    return errors;
  }
}
