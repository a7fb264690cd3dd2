package dev.sluice.injector.inject;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/** Checks of the values users write in annotations and settings. */
final class Values {
  /** Envoy's {@code --log-level} values. */
  static final List<String> LOG_LEVELS =
      List.of("trace", "debug", "info", "warning", "warn", "error", "critical", "off");

  /** A Kubernetes resource quantity: a non-negative decimal with a binary, decimal or exponent suffix. */
  private static final Pattern QUANTITY =
      Pattern.compile("(\\d+(\\.\\d*)?|\\.\\d+)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|[eE][+-]?\\d+)?");
  private static final Pattern PORT = Pattern.compile("\\d{1,5}");
  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

  private Values() {}

  static boolean isQuantity(String text) {
    return text != null && QUANTITY.matcher(text).matches();
  }

  /** A TCP port 1..65535. */
  static OptionalInt port(String text) {
    String t = text.strip();
    if (!PORT.matcher(t).matches()) {
      return OptionalInt.empty();
    }
    int p = Integer.parseInt(t);
    return p >= 1 && p <= 65535 ? OptionalInt.of(p) : OptionalInt.empty();
  }

  /**
   * An IPv4 CIDR as iptables takes it ({@code 10.0.0.0/8}); a bare address means {@code /32}. IPv4
   * only: the capture rules are {@code iptables}, not {@code ip6tables}.
   */
  static Optional<String> cidr(String text) {
    String t = text.strip();
    int slash = t.indexOf('/');
    String address = slash < 0 ? t : t.substring(0, slash);
    var m = IPV4.matcher(address);
    if (!m.matches()) {
      return Optional.empty();
    }
    for (int i = 1; i <= 4; i++) {
      if (Integer.parseInt(m.group(i)) > 255) {
        return Optional.empty();
      }
    }
    if (slash < 0) {
      return Optional.of(address + "/32");
    }
    String prefix = t.substring(slash + 1);
    if (!prefix.matches("\\d{1,2}") || Integer.parseInt(prefix) > 32) {
      return Optional.empty();
    }
    return Optional.of(address + "/" + Integer.parseInt(prefix));
  }

  /** The non-blank entries of a comma list, stripped. */
  static List<String> commaList(String text) {
    return Pattern.compile(",").splitAsStream(text).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }
}
