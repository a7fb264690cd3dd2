package dev.sluice.controlplane.ca;

/**
 * The CA cannot start from the configured or stored material. The message names the property and
 * file at fault and what to do; start-up stops with it. It never quotes key material.
 */
public final class CaConfigurationException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public CaConfigurationException(String message) {
    super(message);
  }

  public CaConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
