package dev.sluice.model;

/**
 * One problem with a document, named by its field path ({@code spec.versions[1].weight}).
 *
 * @param field the path of the offending field, dotted with list indexes in brackets
 * @param message what is wrong, in words a user can act on
 */
public record FieldError(String field, String message) {

  @Override
  public String toString() {
    return field + ": " + message;
  }
}
