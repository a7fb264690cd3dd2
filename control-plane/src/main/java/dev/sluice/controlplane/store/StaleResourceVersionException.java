package dev.sluice.controlplane.store;

/** A write named a resourceVersion that is no longer the stored one. */
public final class StaleResourceVersionException extends RuntimeException {
  private final String expected;
  private final String actual;

  public StaleResourceVersionException(String key, String expected, String actual) {
    super("ModelRoute " + key + " is at resourceVersion " + actual + ", not " + expected);
    this.expected = expected;
    this.actual = actual;
  }

  public String expected() {
    return expected;
  }

  public String actual() {
    return actual;
  }
}
