package dev.sluice.controlplane.security;

import java.security.Principal;
import java.util.List;

/**
 * Who made a request, as the audit log names them, and what they may do.
 *
 * @param name the token's name (API tokens), or {@code anonymous-loopback}
 * @param kind how they proved it
 * @param grants what they may do
 */
public record ApiPrincipal(String name, Kind kind, List<Grant> grants) implements Principal {
  /** The request attribute that carries the principal to the audit log, which runs outside Spring Security. */
  public static final String ATTRIBUTE = ApiPrincipal.class.getName();

  /** How a principal proved who it is. */
  public enum Kind { TOKEN, ANONYMOUS_LOOPBACK }

  public ApiPrincipal {
    grants = List.copyOf(grants);
  }

  @Override
  public String getName() {
    return name;
  }

  /** Whether some grant gives {@code needed} in {@code namespace} (null: in every namespace). */
  public boolean allows(Role needed, String namespace) {
    return grants.stream().anyMatch(g -> g.covers(needed, namespace));
  }
}
