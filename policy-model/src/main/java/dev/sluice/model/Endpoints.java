package dev.sluice.model;

import java.util.Optional;
import java.util.regex.Pattern;

/** Endpoint addresses in {@code ip:port} form ({@code 10.0.0.1:8080}, {@code [::1]:8080}). */
public final class Endpoints {
  private static final Pattern IPV4 =
      Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
  /** Compiled once: String.matches compiled it again for every endpoint of every translation. */
  private static final Pattern PORT = Pattern.compile("\\d{1,5}");

  /** An endpoint split into its IP literal (no brackets) and port. */
  public record Address(String ip, int port) {}

  private Endpoints() {}

  /** The address, or empty when the text is not an IP literal and a port 1..65535. */
  public static Optional<Address> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String host;
    String port;
    if (text.startsWith("[")) {
      int close = text.indexOf("]:");
      if (close < 0) {
        return Optional.empty();
      }
      host = text.substring(1, close);
      port = text.substring(close + 2);
      if (!IPV6.matcher(host).matches() || !host.contains(":")) {
        return Optional.empty();
      }
    } else {
      int colon = text.lastIndexOf(':');
      if (colon < 0 || text.indexOf(':') != colon) {
        return Optional.empty();
      }
      host = text.substring(0, colon);
      port = text.substring(colon + 1);
      if (!IPV4.matcher(host).matches()) {
        return Optional.empty();
      }
    }
    if (!PORT.matcher(port).matches()) {
      return Optional.empty();
    }
    int p = Integer.parseInt(port);
    return p >= 1 && p <= 65535 ? Optional.of(new Address(host, p)) : Optional.empty();
  }
}
