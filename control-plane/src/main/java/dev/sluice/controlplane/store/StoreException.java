package dev.sluice.controlplane.store;

import dev.sluice.model.FieldError;
import java.util.List;

/**
 * The store refused or could not carry out a request, with the HTTP status that says why (for
 * example 422 when the Kubernetes API server refused a field, 503 when it cannot be reached).
 */
public final class StoreException extends RuntimeException {
  private final int status;
  private final List<FieldError> errors;

  public StoreException(int status, String detail, List<FieldError> errors) {
    super(detail);
    this.status = status;
    this.errors = List.copyOf(errors);
  }

  public int status() {
    return status;
  }

  public List<FieldError> errors() {
    return errors;
  }
}
