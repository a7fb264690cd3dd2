package dev.sluice.model;

import java.util.Collections;
import java.util.List;

final class Lists {
  private Lists() {}

  /** An unmodifiable copy that keeps nulls (absence) and null elements (reported by validation). */
  static <T> List<T> copyOrNull(List<T> list) {
    return list == null ? null : Collections.unmodifiableList(new java.util.ArrayList<>(list));
  }
}
