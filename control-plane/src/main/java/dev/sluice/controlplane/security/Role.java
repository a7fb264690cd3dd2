package dev.sluice.controlplane.security;

import java.util.Locale;

/** What a grant lets its holder do; each role includes the ones before it. */
public enum Role {
  /** Read routes, their status, revisions and Envoy output, and proxies. */
  VIEWER,
  /** Also write ModelRoutes: create, update, patch, weights, rollback, delete. */
  EDITOR,
  /** Also mint and revoke bootstrap tokens, and use the actuator beyond health and metrics. */
  ADMIN;

  boolean includes(Role other) {
    return ordinal() >= other.ordinal();
  }

  /** {@code viewer}, {@code editor} or {@code admin}, any case. */
  static Role parse(String text, String field) {
    if (text != null) {
      for (Role r : values()) {
        if (r.name().equalsIgnoreCase(text.strip())) {
          return r;
        }
      }
    }
    throw new IllegalArgumentException(field + " must be viewer, editor or admin, was '" + text + "'");
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
