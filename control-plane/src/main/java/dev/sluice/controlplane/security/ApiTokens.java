package dev.sluice.controlplane.security;

import dev.sluice.model.NameRules;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The API tokens Sluice accepts, each kept as a salted hash only. A presented token is hashed with
 * every entry's salt and compared in constant time; no entry is skipped, so the time taken does not
 * tell which entry (if any) came close.
 */
final class ApiTokens {
  private record Entry(TokenHash hash, ApiPrincipal principal) {}

  private final List<Entry> entries;

  private ApiTokens(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** Checks every token's fields; errors name the field, as {@code sluice.api.tokens[1].grants[0].role}. */
  static ApiTokens of(List<ApiProperties.Token> tokens, String field) {
    List<Entry> entries = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < tokens.size(); i++) {
      ApiProperties.Token t = tokens.get(i);
      String at = field + "[" + i + "]";
      if (t.name() == null || t.name().isBlank()) {
        throw new IllegalArgumentException(at + ".name is required");
      }
      if (!names.add(t.name())) {
        throw new IllegalArgumentException(at + ".name '" + t.name() + "' is used by another token");
      }
      TokenHash hash = TokenHash.parse(t.hash(), at + ".hash");
      if (t.grants().isEmpty()) {
        throw new IllegalArgumentException(at + ".grants must hold at least one role");
      }
      List<Grant> grants = grants(t.grants(), at + ".grants");
      entries.add(new Entry(hash, new ApiPrincipal(t.name(), ApiPrincipal.Kind.TOKEN, grants)));
    }
    return new ApiTokens(entries);
  }

  /** Checked grants; errors name the field, as {@code <field>[0].role}. */
  static List<Grant> grants(List<ApiProperties.GrantSpec> specs, String field) {
    List<Grant> grants = new ArrayList<>();
    for (int g = 0; g < specs.size(); g++) {
      ApiProperties.GrantSpec spec = specs.get(g);
      Role role = Role.parse(spec.role(), field + "[" + g + "].role");
      for (int n = 0; n < spec.namespaces().size(); n++) {
        if (!NameRules.isDns1123Label(spec.namespaces().get(n))) {
          throw new IllegalArgumentException(field + "[" + g + "].namespaces[" + n + "] must be a namespace name, was '"
              + spec.namespaces().get(n) + "'");
        }
      }
      grants.add(new Grant(role, new LinkedHashSet<>(spec.namespaces())));
    }
    return grants;
  }

  ApiTokens plus(ApiTokens more) {
    List<Entry> all = new ArrayList<>(entries);
    all.addAll(more.entries);
    Set<String> names = new HashSet<>();
    for (Entry e : all) {
      if (!names.add(e.principal().name())) {
        throw new IllegalArgumentException("API token name '" + e.principal().name() + "' is used twice");
      }
    }
    return new ApiTokens(all);
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  int size() {
    return entries.size();
  }

  Optional<ApiPrincipal> authenticate(String token) {
    ApiPrincipal found = null;
    for (Entry e : entries) {
      if (e.hash().matches(token) && found == null) {
        found = e.principal();
      }
    }
    return Optional.ofNullable(found);
  }
}
