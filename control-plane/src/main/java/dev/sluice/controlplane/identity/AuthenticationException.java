package dev.sluice.controlplane.identity;

/** A credential that does not prove anything; the message is safe to log and to return. */
public final class AuthenticationException extends Exception {
  public AuthenticationException(String message) {
    super(message);
  }
}
