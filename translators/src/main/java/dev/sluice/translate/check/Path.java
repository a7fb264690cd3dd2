package dev.sluice.translate.check;

/**
 * Where the walk is, as a chain of segments rendered only when a violation needs it: most fields
 * pass, and building their path strings would be most of the work.
 */
final class Path {
  static final Path ROOT = new Path(null, Kind.FIELD, "", 0);

  private enum Kind { FIELD, INDEX, KEY, PACKED }

  private final Path parent;
  private final Kind kind;
  private final Object label;
  private final int index;

  private Path(Path parent, Kind kind, Object label, int index) {
    this.parent = parent;
    this.kind = kind;
    this.label = label;
    this.index = index;
  }

  Path field(String name) {
    return new Path(this, Kind.FIELD, name, 0);
  }

  Path index(int index) {
    return new Path(this, Kind.INDEX, null, index);
  }

  Path key(Object key) {
    return new Path(this, Kind.KEY, key, 0);
  }

  /** The payload of an Any, named by its type so the path says what was unpacked. */
  Path packed(String typeName) {
    return new Path(this, Kind.PACKED, typeName, 0);
  }

  String render() {
    StringBuilder out = new StringBuilder();
    append(out);
    return out.toString();
  }

  private void append(StringBuilder out) {
    if (parent == null) {
      return;
    }
    parent.append(out);
    switch (kind) {
      case FIELD -> out.append(parent == ROOT ? "" : ".").append(label);
      case INDEX -> out.append('[').append(index).append(']');
      case KEY -> out.append('[').append(label instanceof String s ? Show.quote(s) : label).append(']');
      case PACKED -> out.append('(').append(label).append(')');
    }
  }
}
