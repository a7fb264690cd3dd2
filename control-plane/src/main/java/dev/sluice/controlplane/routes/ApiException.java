package dev.sluice.controlplane.routes;

import dev.sluice.model.FieldError;
import java.util.List;
import org.springframework.http.HttpStatus;

/** A request the API refuses, with the fields at fault; becomes {@code application/problem+json}. */
final class ApiException extends RuntimeException {
  private final HttpStatus status;
  private final List<FieldError> errors;

  ApiException(HttpStatus status, String detail, List<FieldError> errors) {
    super(detail);
    this.status = status;
    this.errors = List.copyOf(errors);
  }

  static ApiException of(HttpStatus status, String field, String message) {
    return new ApiException(status, field + ": " + message, List.of(new FieldError(field, message)));
  }

  HttpStatus status() {
    return status;
  }

  List<FieldError> errors() {
    return errors;
  }
}
