package dev.sluice.controlplane.security;

import java.util.Set;
import java.util.TreeSet;

/**
 * A role in some namespaces, or in all of them when {@code namespaces} is empty.
 */
public record Grant(Role role, Set<String> namespaces) {
  public Grant {
    namespaces = Set.copyOf(namespaces);
  }

  static Grant everywhere(Role role) {
    return new Grant(role, Set.of());
  }

  /** Whether this grant gives {@code needed} in {@code namespace}; a null namespace means every namespace. */
  boolean covers(Role needed, String namespace) {
    if (!role.includes(needed)) {
      return false;
    }
    return namespaces.isEmpty() || namespace != null && namespaces.contains(namespace);
  }

  @Override
  public String toString() {
    return role + (namespaces.isEmpty() ? " in all namespaces" : " in " + new TreeSet<>(namespaces));
  }
}
