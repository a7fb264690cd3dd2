package dev.sluice.translate;

import dev.sluice.model.FieldError;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome of translating a set of routes for one proxy group.
 *
 * @param resources the Envoy resources of every route that translated cleanly
 * @param rejected the routes left out, by key ({@code ns/name}), with the reasons; one bad route
 *     never takes the others down with it
 */
public record Translation(XdsResources resources, Map<String, List<FieldError>> rejected) {
  public Translation {
    rejected = java.util.Collections.unmodifiableMap(new TreeMap<>(rejected));
  }
}
