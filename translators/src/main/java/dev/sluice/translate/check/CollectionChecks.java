package dev.sluice.translate.check;

import io.envoyproxy.pgv.validate.Validate.MapRules;
import io.envoyproxy.pgv.validate.Validate.RepeatedRules;
import java.util.List;

/**
 * The size rules of repeated fields and maps, applied to the element count. The per-element rules
 * ({@code items}, {@code keys}, {@code values}) are ordinary value rules, and {@code unique} needs
 * the elements themselves, so the walk applies it.
 */
final class CollectionChecks {
  static final String NOT_UNIQUE = "must not repeat an earlier item (repeated.unique)";

  private CollectionChecks() {}

  static Rule items(RepeatedRules r) {
    Rule min = r.hasMinItems() ? atLeast(r.getMinItems(), "item(s)", "repeated.min_items") : Rule.NONE;
    Rule max = r.hasMaxItems() ? atMost(r.getMaxItems(), "item(s)", "repeated.max_items") : Rule.NONE;
    Rule all = Rule.firstOf(List.of(min, max));
    return r.getIgnoreEmpty() ? all.unless(CollectionChecks::empty) : all;
  }

  static Rule pairs(MapRules r) {
    Rule min = r.hasMinPairs() ? atLeast(r.getMinPairs(), "pair(s)", "map.min_pairs") : Rule.NONE;
    Rule max = r.hasMaxPairs() ? atMost(r.getMaxPairs(), "pair(s)", "map.max_pairs") : Rule.NONE;
    Rule all = Rule.firstOf(List.of(min, max));
    return r.getIgnoreEmpty() ? all.unless(CollectionChecks::empty) : all;
  }

  private static Rule atLeast(long min, String unit, String name) {
    return Rule.of(name, "must contain at least " + Long.toUnsignedString(min) + " " + unit,
        count -> Long.compareUnsigned((Integer) count, min) >= 0);
  }

  private static Rule atMost(long max, String unit, String name) {
    return Rule.of(name, "must contain at most " + Long.toUnsignedString(max) + " " + unit,
        count -> Long.compareUnsigned((Integer) count, max) <= 0);
  }

  private static boolean empty(Object count) {
    return (Integer) count == 0;
  }
}
