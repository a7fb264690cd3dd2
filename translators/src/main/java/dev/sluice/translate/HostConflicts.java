package dev.sluice.translate;

import dev.sluice.model.FieldError;
import dev.sluice.model.ModelRoute;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One host belongs to one route: Envoy rejects a route table that has a domain twice. */
public final class HostConflicts {
  private HostConflicts() {}

  /**
   * The hosts of {@code route} that another route already serves.
   *
   * @param hostOwners host to the key of the route that holds it
   */
  public static List<FieldError> check(ModelRoute route, Map<String, String> hostOwners) {
    List<FieldError> errors = new ArrayList<>();
    List<String> hosts = route.spec().hosts();
    for (int i = 0; i < hosts.size(); i++) {
      String owner = hostOwners.get(hosts.get(i));
      if (owner != null && !owner.equals(route.key())) {
        errors.add(new FieldError("spec.hosts[" + i + "]", "'" + hosts.get(i) + "' is already served by ModelRoute " + owner));
      }
    }
    return errors;
  }
}
